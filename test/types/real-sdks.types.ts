// Type tests: the real npm clients fit the adapters' options as they are, with no cast. Checked by
// `tsc -p .`; never run.
import Knock from '@knocklabs/client';
import { StreamChat } from 'stream-chat';
import {
  createTokenSource,
  knock,
  knockTokenExpiring,
  streamChat,
  streamTokenProvider,
} from '../../src/index.js';

export function realClientsFit() {
  const tokens = createTokenSource({ url: '/api/token' });
  const client = new StreamChat('key', { baseURL: 'http://127.0.0.1:8941/stream' });
  streamChat({ tokens, client, user: { id: 'ada' } });
  streamChat({ tokens, client: async () => new StreamChat('key'), user: { id: 'ada' } });
  void client.connectUser({ id: 'ada' }, streamTokenProvider(tokens));

  const knockClient = new Knock('pk_test_1', { host: 'http://127.0.0.1:8941' });
  knock({ tokens, knock: knockClient, user: 'ada' });
  knockClient.authenticate({ id: 'ada' }, 'token', {
    onUserTokenExpiring: knockTokenExpiring(tokens),
  });
}
