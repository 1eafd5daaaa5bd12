// A fake LiveKit server for the real livekit-client 2 in Chromium, answered through Playwright:
// the signalling WebSocket (wss://<host>/rtc/v1?access_token=…, protobuf SignalRequest and
// SignalResponse from @livekit/protocol) and the HTTP validate endpoint the client asks after a
// failed connection. The token in the URL is checked as LiveKit's server would (livekit secret,
// `video.roomJoin`, expiry at the page's time). A valid one is answered with a JoinResponse; the
// media side is a real RTCPeerConnection in another page (`peerPage`, off the fake clock), which
// answers the client's publisher offer, so that `room.connect()` completes as against LiveKit.
import { gunzipSync } from 'node:zlib';
import {
  JoinRequest,
  JoinResponse,
  ParticipantInfo,
  ParticipantInfo_State,
  ReconnectResponse,
  Room,
  ServerInfo,
  SessionDescription,
  SignalRequest,
  SignalResponse,
  WrappedJoinRequest,
  WrappedJoinRequest_Compression,
} from '@livekit/protocol';
import { checkLiveKitToken } from './vendor-tokens.mjs';

/** The peer's side: one RTCPeerConnection that answers offers and takes trickled candidates. */
async function preparePeer(peerPage) {
  await peerPage.evaluate(() => {
    window.peer = {
      pc: undefined,
      channels: [],
      async answer(sdp) {
        if (!this.pc) {
          this.pc = new RTCPeerConnection();
          this.pc.ondatachannel = (event) => this.channels.push(event.channel.label);
        }
        await this.pc.setRemoteDescription({ type: 'offer', sdp });
        await this.pc.setLocalDescription(await this.pc.createAnswer());
        // The answer carries the peer's candidates: nothing trickles back to the client.
        if (this.pc.iceGatheringState !== 'complete') {
          await new Promise((resolve) =>
            this.pc.addEventListener('icegatheringstatechange', () => {
              if (this.pc.iceGatheringState === 'complete') resolve();
            }),
          );
        }
        return this.pc.localDescription.sdp;
      },
      async add(candidate) {
        await this.pc?.addIceCandidate(candidate).catch(() => {});
      },
      close() {
        this.pc?.close();
        this.pc = undefined;
      },
    };
  });
}

export function fakeLiveKit({ now, peerPage, room = 'support-42' }) {
  const send = (socket, message) =>
    socket.send(Buffer.from(new SignalResponse({ message }).toBinary()));
  const liveKit = {
    now,
    /** Every token that reached the server: { via, token, valid, reason, at }. */
    seen: [],
    /** Every signalling connection: { open, token, joined, socket }. */
    sockets: [],
    /** What the client sent, by message case. */
    received: [],
    /** Routes the page's HTTP (page routes come before the context's) and its WebSockets. */
    async route(context, page) {
      await preparePeer(peerPage);
      await page.route('https://lk.test/rtc/v1/validate**', async (route) => {
        const token = new URL(route.request().url()).searchParams.get('access_token');
        const check = await checkLiveKitToken(token, liveKit.now);
        liveKit.seen.push({ via: 'validate', token, ...check, at: liveKit.now });
        await route.fulfill(
          check.valid
            ? { status: 200, body: 'success' }
            : { status: 401, body: `invalid token: ${check.reason}` },
        );
      });
      await context.routeWebSocket(/^wss:\/\/lk\.test\/rtc/, (socket) => liveKit.handle(socket));
    },
    async handle(socket) {
      const url = new URL(socket.url());
      const token = url.searchParams.get('access_token');
      const check = await checkLiveKitToken(token, liveKit.now);
      liveKit.seen.push({ via: 'WebSocket URL', token, ...check, at: liveKit.now });
      const state = { open: true, token, joined: false, socket };
      liveKit.sockets.push(state);
      socket.onClose(() => (state.open = false));
      if (!check.valid || check.room !== room) {
        // LiveKit answers the upgrade with 401; the client then asks the validate endpoint why.
        state.open = false;
        socket.close({ code: 1008, reason: 'unauthorized' });
        return;
      }
      socket.onMessage(async (data) => {
        const request = SignalRequest.fromBinary(new Uint8Array(Buffer.from(data)));
        const { case: kind, value } = request.message;
        liveKit.received.push(kind);
        if (kind === 'offer') {
          const sdp = await peerPage.evaluate((offer) => window.peer.answer(offer), value.sdp);
          send(socket, {
            case: 'answer',
            value: new SessionDescription({ type: 'answer', sdp, id: value.id }),
          });
        } else if (kind === 'trickle' && value.target === 0) {
          await peerPage.evaluate(
            (candidate) => window.peer.add(candidate),
            JSON.parse(value.candidateInit),
          );
        } else if (kind === 'ping') {
          send(socket, { case: 'pong', value: BigInt(liveKit.now) });
        } else if (kind === 'pingReq') {
          send(socket, {
            case: 'pongResp',
            value: { lastPingTimestamp: value.timestamp, timestamp: BigInt(liveKit.now) },
          });
        } else if (kind === 'leave') {
          state.open = false;
        }
      });
      state.joined = true;
      // /rtc/v1 carries the publisher's first offer in join_request (gzipped, base64url).
      const wrapped = WrappedJoinRequest.fromBinary(
        new Uint8Array(Buffer.from(url.searchParams.get('join_request') ?? '', 'base64url')),
      );
      const join = JoinRequest.fromBinary(
        wrapped.compression === WrappedJoinRequest_Compression.GZIP
          ? new Uint8Array(gunzipSync(wrapped.joinRequest))
          : wrapped.joinRequest,
      );
      if (join.reconnect || url.searchParams.get('reconnect') === '1') {
        // A resume of the session (JoinRequest.reconnect): the same peer goes on.
        state.resumed = true;
        send(socket, { case: 'reconnect', value: new ReconnectResponse({}) });
        return;
      }
      send(socket, {
        case: 'join',
        value: new JoinResponse({
          room: new Room({ name: room, sid: 'RM_test' }),
          participant: new ParticipantInfo({
            sid: 'PA_test',
            identity: check.identity,
            state: ParticipantInfo_State.ACTIVE,
          }),
          serverVersion: '1.9.0',
          serverInfo: new ServerInfo({ version: '1.9.0', protocol: 16 }),
          subscriberPrimary: false,
          pingTimeout: 3600,
          pingInterval: 600,
        }),
      });
      // A new session: the peer of the previous one goes.
      await peerPage.evaluate(() => window.peer.close());
      if (join.publisherOffer) {
        const offer = join.publisherOffer;
        const sdp = await peerPage.evaluate((sdp) => window.peer.answer(sdp), offer.sdp);
        send(socket, {
          case: 'answer',
          value: new SessionDescription({ type: 'answer', sdp, id: offer.id }),
        });
      }
    },
    /** LiveKit's server hands the connected client a fresh token, as it does during a session. */
    refresh(token) {
      for (const state of liveKit.sockets) {
        if (state.open && state.joined) send(state.socket, { case: 'refreshToken', value: token });
      }
    },
    /** The signalling connection drops (the network, not LiveKit, ends it). */
    drop() {
      for (const state of liveKit.sockets) {
        if (state.open) state.socket.close({ code: 4000, reason: 'dropped' });
        state.open = false;
      }
    },
  };
  return liveKit;
}
