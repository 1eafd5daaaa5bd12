// The one error the server half raises for bad input. It names the vendor and the field, and
// describes a bad value by its shape (type, length, the first offending character) so that no
// secret, key or token ever reaches a message, a log line or an error tracker.

/** The vendors `widget-token/server` signs for, as they appear in error messages. */
export type SignerVendor =
  | 'viaSocket'
  | 'DigitalGenius'
  | 'VideoSDK'
  | 'iAdvize'
  | 'Engagespot'
  | 'Intercom'
  | 'Zendesk'
  | 'Twilio'
  | 'Stream Chat'
  | 'Knock'
  | 'Agora'
  | 'LiveKit';

/**
 * A signer was given input its vendor would refuse: a missing key, a PEM that is not one, a
 * lifetime over the vendor's maximum, a user id with characters the vendor refuses.
 *
 * @example
 * ```ts
 * try {
 *   await signTwilioAccessToken({ ...twilio, identity: user.id, lifetime: 48 * 3600 });
 * } catch (error) {
 *   if (error instanceof SignerInputError) console.error(error.vendor, error.field); // 'Twilio' 'lifetime'
 * }
 * ```
 */
export class SignerInputError extends Error {
  override name = 'SignerInputError';
  /** The vendor whose signer refused the input. */
  readonly vendor: SignerVendor;
  /** The option at fault, e.g. `apiSecret`, `lifetime`, `grants.chat.serviceSid`. */
  readonly field: string;

  constructor(vendor: SignerVendor, field: string, problem: string) {
    super(`[widget-token/server] ${vendor}: \`${field}\` ${problem}`);
    this.vendor = vendor;
    this.field = field;
  }
}
