// The secrets and keys the demo backend signs with: from environment variables when set,
// otherwise generated at start. They never leave the server.
import { randomBytes } from 'node:crypto';
import { generateKeyPair, importPKCS8, importSPKI } from 'jose';

const secret = (name) =>
  new TextEncoder().encode(process.env[name] ?? randomBytes(32).toString('hex'));

async function rsaPair(name, alg) {
  const privatePem = process.env[`${name}_PRIVATE_KEY`];
  const publicPem = process.env[`${name}_PUBLIC_KEY`];
  if (privatePem && publicPem) {
    return {
      privateKey: await importPKCS8(privatePem, alg),
      publicKey: await importSPKI(publicPem, alg),
    };
  }
  return generateKeyPair(alg);
}

export async function loadKeys() {
  return {
    viaSocketAccessKey: secret('VIASOCKET_ACCESS_KEY'),
    dgApiSecret: secret('DG_API_SECRET'),
    videoSdkSecret: secret('VIDEOSDK_SECRET'),
    // iAdvize: the host signs with its own key and encrypts for iAdvize's public key.
    iAdvizeSigning: await rsaPair('IADVIZE_SIGNING', 'RS256'),
    iAdvizeEncryption: await rsaPair('IADVIZE_ENCRYPTION', 'RSA-OAEP-256'),
    engagespotSigning: await rsaPair('ENGAGESPOT_SIGNING', 'RS256'),
    streamSecret: secret('STREAM_API_SECRET'),
    knockSigning: await rsaPair('KNOCK_SIGNING', 'RS256'),
    intercomSecret: secret('INTERCOM_IDENTITY_SECRET'),
    zendeskSecret: secret('ZENDESK_MESSAGING_SECRET'),
    twilioApiKeySecret: secret('TWILIO_API_KEY_SECRET'),
    // An App Certificate is 32 hex digits, used as text (not decoded) by AccessToken2.
    agoraAppCertificate: process.env.AGORA_APP_CERTIFICATE ?? randomBytes(16).toString('hex'),
  };
}
