// A fake of Twilio's twilsock server (wss://tsock.us1.twilio.com/v3/wsconnect) for the real
// @twilio/conversations 3 client, answered through Playwright's routeWebSocket. It speaks TWSP
// ("TWILSOCK V3.0 <header size>\r\n<JSON header>\r\n<payload>") as far as the client needs to
// reach `connected` and `initialized`: the `init` and `update` messages that carry the Access
// Token (checked here, as Twilio would: 401 with error 20104 when expired, 20101 when invalid),
// and the upstream `message` requests the client makes while initialising (Conversations
// configuration, its Sync maps, the conversation list, Sync subscriptions).
//
// Time is the page's fake clock, `twilsock.now`. `tick()` plays what Twilio's server pushes:
// `client_update` token_about_to_expire `warnLead` ms before the held token's expiry, and a
// `close` with status 410 once it has expired (then the socket is closed, as Twilio does).
import { checkTwilioToken } from './vendor-tokens.mjs';

const HOSTS = /^(aim|cds)\.us1\.twilio\.com$/;

function parse(data) {
  const bytes = Buffer.from(data);
  const lineEnd = bytes.indexOf('\r\n');
  const headerSize = Number(bytes.subarray(0, lineEnd).toString().split(' ')[2]);
  const header = JSON.parse(bytes.subarray(lineEnd + 2, lineEnd + 2 + headerSize).toString());
  const body = bytes.subarray(lineEnd + 4 + headerSize).toString();
  return { header, body };
}

function packet(header, body = '') {
  const text = JSON.stringify({ ...header, payload_size: Buffer.byteLength(body) });
  return Buffer.from(`TWILSOCK V3.0 ${Buffer.byteLength(text)}\r\n${text}\r\n${body}`);
}

/** What Twilio's services answer to the requests the client makes while initialising. */
function upstreamAnswer({ host, path, params = {} }, identity) {
  const url = `https://${host}${path}`;
  if (path === '/Client/v2/Configuration') {
    const aim = 'https://aim.us1.twilio.com';
    return {
      identity,
      links: {
        my_conversations: `${aim}/v2/Users/${identity}/Conversations`,
        conversations: `${aim}/v2/Conversations`,
        users: `${aim}/v2/Users`,
        current_user: `${aim}/v2/Users/${identity}`,
        typing: `${aim}/v2/Services/typing`,
        media_service: 'https://mcs.us1.twilio.com/v1/Services/IS1/Media',
        media_set_service: 'https://mcs.us1.twilio.com/v1/Services/IS1/MediaSet',
        messages_receipts: `${aim}/v2/Receipts`,
      },
      options: { reachability_enabled: false },
      sync_objects: {
        my_user_info: `MP_user_${identity}`,
        my_conversations: `MP_convs_${identity}`,
      },
    };
  }
  if (path.endsWith('/Conversations')) return { conversations: [], meta: { next_token: null } };
  if (path === '/v4/Subscriptions') return { estimated_delivery_in_ms: 1000, max_batch_size: 100 };
  // A Sync map, or one of its items (the user's friendlyName and attributes).
  const items = params.Key
    ? [
        {
          key: params.Key,
          data: params.Key === 'attributes' ? { value: '{}' } : { value: identity },
          url: `${url}/${params.Key}`,
          revision: '0',
          last_event_id: 0,
          date_updated: '2026-11-24T12:00:00Z',
          date_expires: null,
        },
      ]
    : [];
  return {
    sid: path.split('/')[3],
    url,
    revision: '0',
    last_event_id: 0,
    date_expires: null,
    links: { items: `${url}/Items` },
    items,
    meta: { previous_token: null, next_token: null },
  };
}

export function fakeTwilsock({ now, warnLead = 60_000 }) {
  const twilsock = {
    /** The page's time in ms. */
    now,
    /** Every token that left the browser: { method, token, valid, reason, at, socket }. */
    seen: [],
    /** Every socket: { open, held, exp, warned, closedWith }. */
    sockets: [],
    /** What the server pushed: { type, at }. */
    pushed: [],
    /** Upstream requests, `host path`. */
    upstream: [],
    async handle(socket) {
      const state = { open: true, held: undefined, exp: undefined, warned: false, socket };
      twilsock.sockets.push(state);
      socket.onClose(() => (state.open = false));
      socket.onMessage(async (data) => {
        const { header } = parse(data);
        const reply = (extra, body) =>
          socket.send(packet({ method: 'reply', id: header.id, ...extra }, body));
        if (header.method === 'init' || header.method === 'update') {
          const check = await checkTwilioToken(header.token, twilsock.now);
          twilsock.seen.push({
            method: header.method,
            token: header.token,
            valid: check.valid,
            reason: check.reason,
            at: twilsock.now,
            socket: twilsock.sockets.indexOf(state),
          });
          if (!check.valid) {
            const expired = check.reason === 'ERR_JWT_EXPIRED';
            reply({
              status: {
                code: 401,
                status: 'Unauthorized',
                errorCode: expired ? 20104 : 20101,
                description: expired ? 'Access Token expired' : 'Invalid Access Token',
              },
            });
            return;
          }
          Object.assign(state, { held: header.token, exp: check.exp * 1000, warned: false });
          state.identity = check.identity;
          reply({
            status: { code: 200, status: 'OK' },
            ...(header.method === 'init' && {
              capabilities: header.capabilities,
              continuation_token: 'CT-test',
              continuation_token_status: { reused: false },
            }),
          });
        } else if (header.method === 'message') {
          const request = header.http_request;
          twilsock.upstream.push(`${request.method} ${request.host}${request.path}`);
          if (!HOSTS.test(request.host) || !state.held) {
            reply({
              status: { code: 200, status: 'OK' },
              http_status: { code: 404, status: 'Not Found' },
            });
            return;
          }
          reply(
            {
              status: { code: 200, status: 'OK' },
              http_status: { code: 200, status: 'OK' },
              http_headers: {},
              payload_type: 'application/json',
            },
            JSON.stringify(upstreamAnswer(request, state.identity)),
          );
        }
      });
    },
    /** Pushes what Twilio's server would at `twilsock.now`. */
    tick() {
      for (const state of twilsock.sockets) {
        if (!state.open || state.exp === undefined) continue;
        if (state.exp <= twilsock.now) {
          twilsock.pushed.push({ type: 'close 410', at: twilsock.now });
          state.socket.send(
            packet({
              method: 'close',
              id: `TM-close-${twilsock.now}`,
              status: { code: 410, status: 'Token expired' },
            }),
          );
          state.exp = undefined;
          state.open = false;
          state.socket.close({ code: 1000, reason: 'token expired' });
        } else if (!state.warned && state.exp - warnLead <= twilsock.now) {
          state.warned = true;
          twilsock.pushed.push({ type: 'token_about_to_expire', at: twilsock.now });
          state.socket.send(
            packet({
              method: 'client_update',
              id: `TM-update-${twilsock.now}`,
              client_update_type: 'token_about_to_expire',
            }),
          );
        }
      }
    },
  };
  return twilsock;
}
