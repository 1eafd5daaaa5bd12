// A fake of Agora's servers for the real agora-rtc-sdk-ng 4 in Chromium, answered through
// Playwright: the access point (choose_server, HTTPS POST …/api/v2/transpond/webrtc) and the edge
// gateway's WebSocket (wss://<ip with dashes>.edge.agora.io:<port>, JSON messages `_type`/`_id`).
// The token is checked where it arrives, as Agora would (agora-token's AccessToken2: App
// Certificate signature, App ID, channel, uid, join privilege not expired at the page's time): the
// `key` of choose_server, the `channel_key` of join_v3, the `token` of renew_token.
//
// Agora's join only resolves once the client's peer connection to the gateway is up, so the media
// side is a real RTCPeerConnection in another page (`peerPage`, off the fake clock): its host
// candidate is the gateway address the access point hands out, and its ICE and DTLS parameters
// answer join_v3. `tick()` pushes what the gateway pushes: on_token_privilege_will_expire 30 s
// before the held token's expiry, on_token_privilege_did_expire once it has expired.
import { checkAgoraToken } from './vendor-tokens.mjs';

/** The gateway's peer: one RTCPeerConnection per join, offering, on an IPv4 host candidate. */
async function preparePeerPage(peerPage) {
  await peerPage.evaluate(() => {
    const line = (sdp, name) => new RegExp(`a=${name}:(.*)`).exec(sdp)?.[1].trim();
    window.gateway = {
      pc: undefined,
      /** A new peer; resolves with its IPv4 host candidate { ip, port } and its ICE and DTLS parameters. */
      async prepare() {
        // A peer a previous join still uses stays up: the SDK asks the access point again (a
        // "preload" of the channel) while the session is up.
        const pc = new RTCPeerConnection();
        this.pc = pc;
        pc.createDataChannel('gateway');
        await pc.setLocalDescription(await pc.createOffer());
        if (pc.iceGatheringState !== 'complete') {
          await new Promise((resolve) =>
            pc.addEventListener('icegatheringstatechange', () => {
              if (pc.iceGatheringState === 'complete') resolve();
            }),
          );
        }
        const sdp = pc.localDescription.sdp;
        const candidate = sdp
          .split('\r\n')
          .filter((l) => l.startsWith('a=candidate:') && / udp /i.test(l))
          .map((l) => l.split(' '))
          .find((parts) => /^\d+\.\d+\.\d+\.\d+$/.test(parts[4]));
        return {
          ip: candidate[4],
          port: Number(candidate[5]),
          iceUfrag: line(sdp, 'ice-ufrag'),
          icePwd: line(sdp, 'ice-pwd'),
          fingerprint: line(sdp, 'fingerprint').split(' ')[1],
        };
      },
      /** Takes the client's ICE and DTLS parameters (from join_v3) as the peer's answer. */
      async connect({ iceUfrag, icePwd, fingerprint }) {
        const sdp = [
          'v=0',
          'o=- 2 2 IN IP4 127.0.0.1',
          's=-',
          't=0 0',
          'a=group:BUNDLE 0',
          'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
          'c=IN IP4 0.0.0.0',
          'a=mid:0',
          `a=ice-ufrag:${iceUfrag}`,
          `a=ice-pwd:${icePwd}`,
          `a=fingerprint:sha-256 ${fingerprint}`,
          // The client takes the DTLS client role (told `role: 'server'` below): the peer serves.
          'a=setup:active',
          'a=sctp-port:5000',
          '',
        ].join('\r\n');
        await this.pc.setRemoteDescription({ type: 'answer', sdp });
      },
      state() {
        return this.pc?.connectionState;
      },
    };
  });
}

export function fakeAgora({ now, peerPage, channel, uid }) {
  const agora = {
    now,
    /** Every token that reached Agora: { via, token, valid, reason, at }. */
    seen: [],
    /** Every gateway connection that joined: { open, held, exp, warned, socket }. */
    sessions: [],
    /** What the gateway pushed: { type, at }. */
    pushed: [],
    /** Requests the client sent the gateway, by type. */
    received: [],
    peer: undefined,
    see(via, token) {
      const check = checkAgoraToken(token, agora.now, { channel, uid });
      agora.seen.push({ via, token, ...check, at: agora.now });
      return check;
    },
    /** Routes the page's HTTP (page routes come before the context's) and its WebSockets. */
    async route(context, page) {
      await preparePeerPage(peerPage);
      await page.route(/\/api\/v2\/transpond\/webrtc/, async (route) => {
        const form = route.request().postData() ?? '';
        const request = JSON.parse(/name="request"\r\n\r\n([\s\S]*?)\r\n--/.exec(form)[1]);
        const [body] = request.request_bodies;
        const check = agora.see('choose_server key', body.buffer.key);
        // The SDK asks two access points at once: one peer for both answers.
        agora.peer ??= peerPage.evaluate(() => window.gateway.prepare());
        const peer = await agora.peer;
        const answer = {
          enter_ts: agora.now,
          opid: request.opid,
          code: 0,
          detail: {},
          response_body: [4096, 4194310].map((flag) => ({
            uri: body.uri,
            buffer: {
              flag,
              // 13: DYNAMIC_KEY_EXPIRED in the SDK's table of access point codes.
              code: check.valid ? 0 : 13,
              cname: body.buffer.cname,
              uid: body.buffer.uid || 1000,
              cid: 7,
              cert: 'ticket',
              detail: {},
              edges_services: [{ ip: peer.ip, port: peer.port }],
            },
          })),
        };
        await route.fulfill({
          status: 200,
          contentType: 'application/json',
          body: JSON.stringify(answer),
        });
      });
      await context.routeWebSocket(/\.edge\.(agora\.io|sd-rtn\.com)/, (socket) =>
        agora.handle(socket),
      );
    },
    handle(socket) {
      const session = { open: true, held: undefined, exp: undefined, warned: false, socket };
      socket.onClose(() => (session.open = false));
      const reply = (id, result, message = {}) =>
        socket.send(JSON.stringify({ _id: id, _result: result, _message: message }));
      socket.onMessage(async (data) => {
        const { _id: id, _type: type, _message: message } = JSON.parse(String(data));
        agora.received.push(type);
        if (type === 'join_v3') {
          const check = agora.see('join_v3 channel_key', message.channel_key);
          if (!check.valid) {
            reply(id, 'failed', { error_code: 109, error_str: 'ERR_DYNAMIC_KEY_TIMEOUT' });
            return;
          }
          const peer = await agora.peer;
          agora.peer = undefined;
          const { iceParameters, dtlsParameters } = message.ortc;
          await peerPage.evaluate((client) => window.gateway.connect(client), {
            iceUfrag: iceParameters.iceUfrag,
            icePwd: iceParameters.icePwd,
            fingerprint: dtlsParameters.fingerprints[0].fingerprint,
          });
          Object.assign(session, { held: message.channel_key, exp: check.exp * 1000 });
          agora.sessions.push(session);
          reply(id, 'success', {
            uid: message.uid || 1000,
            cid: 7,
            vid: '1',
            rejoin_token: 'rejoin-ticket',
            ortc: {
              iceParameters: {
                iceUfrag: peer.iceUfrag,
                icePwd: peer.icePwd,
                candidates: [
                  {
                    foundation: '1',
                    protocol: 'udp',
                    priority: 2130706431,
                    ip: peer.ip,
                    port: peer.port,
                    type: 'host',
                  },
                ],
              },
              dtlsParameters: {
                fingerprints: [{ algorithm: 'sha-256', fingerprint: peer.fingerprint }],
                role: 'server',
              },
              rtpCapabilities: message.ortc.rtpCapabilities,
            },
            attributes: { userAttributes: {} },
          });
        } else if (type === 'renew_token') {
          const check = agora.see('renew_token', message.token);
          if (!check.valid) {
            reply(id, 'failed', { error_code: 109, error_str: 'ERR_DYNAMIC_KEY_TIMEOUT' });
            return;
          }
          Object.assign(session, { held: message.token, exp: check.exp * 1000, warned: false });
          reply(id, 'success');
        } else if (type === 'leave') {
          session.open = false;
          reply(id, 'success');
        } else if (id !== undefined) {
          reply(id, 'success');
        }
      });
    },
    /** Pushes what Agora's gateway would at `agora.now`. */
    tick() {
      for (const session of agora.sessions) {
        if (!session.open || session.exp === undefined) continue;
        const push = (type) => {
          agora.pushed.push({ type, at: agora.now });
          session.socket.send(JSON.stringify({ _type: type, _message: {} }));
        };
        if (session.exp <= agora.now) {
          session.exp = undefined;
          push('on_token_privilege_did_expire');
        } else if (!session.warned && session.exp - 30_000 <= agora.now) {
          session.warned = true;
          push('on_token_privilege_will_expire');
        }
      }
    },
  };
  return agora;
}
