import { expect } from 'chai';
import sinon from 'sinon';
import { createTokenSource, dgChat } from '../../src/index.js';
import { fakeBackend } from '../helpers/fake-backend.js';
import { freshJwt } from '../helpers/jwt.js';
import { STAND_INS } from '../helpers/stand-ins.js';

describe('security', () => {
  it('a full cycle leaves no token in storage, cookies, IndexedDB, caches, the URL or the console', async () => {
    const logged: unknown[] = [];
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      sinon.stub(console, method).callsFake((...args: unknown[]) => void logged.push(...args));
    }
    const issued: string[] = [];
    const backend = fakeBackend((_request, serial) => {
      const token = freshJwt(3600).replace('c2lnbmF0dXJl', `issued${serial}`);
      issued.push(token);
      return serial === 3 ? { status: 500 } : { json: { token } };
    });
    const tokens = createTokenSource({ url: '/token' });
    const chat = dgChat({ tokens, widgetId: 'w', env: 'eu', scriptUrl: `${STAND_INS}/dg-chat.js` });
    await chat.ready;
    await tokens.refresh();
    await tokens.refresh().catch(() => {});
    await chat.destroy();
    tokens.stop();
    backend.restore();
    sinon.restore();

    const places: string[] = [
      JSON.stringify({ ...localStorage }),
      JSON.stringify({ ...sessionStorage }),
      document.cookie,
      location.href,
      document.documentElement.outerHTML,
      JSON.stringify(await indexedDB.databases()),
      JSON.stringify(await caches.keys()),
      ...logged.map((entry) =>
        entry instanceof Error ? `${entry.message} ${entry.stack}` : String(entry),
      ),
    ];
    expect(issued.length).to.be.at.least(2);
    for (const token of issued) {
      const signature = token.split('.')[2]!;
      for (const place of places) expect(place).not.to.contain(signature);
    }
  });

  it('the shipped bundles contain no signing or secret-handling code and no storage access', async () => {
    for (const file of ['/dist/widget-token.iife.js', '/dist/widget-token.js']) {
      const source = await (await fetch(file)).text();
      for (const forbidden of [
        'crypto.subtle',
        'createHmac',
        'importKey',
        'privateKey',
        'jose',
        'localStorage',
        'sessionStorage',
        'document.cookie',
        'indexedDB',
        'console.log',
      ]) {
        expect(source, `${file}: ${forbidden}`).not.to.contain(forbidden);
      }
    }
  });
});
