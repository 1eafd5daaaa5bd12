import { expect } from 'chai';
import * as core from '../../src/core.js';
import type * as esm from '../../src/index.js';
import { SCRIPT_TAG_FILES, TAG_VENDORS } from '../../src/vendors.mjs';
import { STAND_INS } from '../helpers/stand-ins.js';

interface FrameResult {
  api: string[];
  started: { tokens: boolean; widget: boolean };
  /** The `widget-token:error` events' messages. */
  errors: string[];
  consoleErrors: string[];
  warnings: string[];
}

/**
 * Loads a script-tag file in a fresh frame with these data- attributes; what it exposed. With
 * `settle`, waits until the started widget is ready or has failed.
 */
async function loadTag(
  file: string,
  attributes: Record<string, string>,
  { settle = false } = {},
): Promise<FrameResult> {
  const frame = document.createElement('iframe');
  document.body.append(frame);
  try {
    const page = frame.contentWindow as Window & {
      WidgetToken?: Record<string, unknown>;
      console: Console;
    };
    const errors: string[] = [];
    const consoleErrors: string[] = [];
    const warnings: string[] = [];
    page.console.error = (...args: unknown[]) => consoleErrors.push(args.join(' '));
    page.console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
    page.document.addEventListener('widget-token:error', (event) =>
      errors.push(((event as CustomEvent).detail.error as Error).message),
    );
    await new Promise<void>((resolve, reject) => {
      const script = page.document.createElement('script');
      for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
      script.src = `/dist/${file}`;
      script.onload = () => resolve();
      script.onerror = () => reject(new Error(`dist/${file} missing: run npm run build`));
      page.document.head.append(script);
    });
    const global = page.WidgetToken!;
    if (settle) await (global.widget as esm.WidgetHandle | undefined)?.ready.catch(() => {});
    const result = {
      api: Object.keys(global).sort(),
      started: { tokens: global.tokens !== undefined, widget: global.widget !== undefined },
      errors,
      consoleErrors,
      warnings,
    };
    await (global.widget as esm.WidgetHandle | undefined)?.destroy();
    (global.tokens as esm.TokenSource | undefined)?.stop();
    return result;
  } finally {
    frame.remove();
  }
}

const dgTag = {
  'data-widget': 'dg-chat',
  'data-widget-id': 'w-1',
  'data-env': 'eu',
  'data-script-url': `${STAND_INS}/dg-chat.js`,
  'data-hints': 'false',
};

describe('the per-widget script-tag files', () => {
  // Each file: the core API, its vendors' adapters and bridges (the vendor table), tokens, widget.
  for (const { file, vendors } of SCRIPT_TAG_FILES) {
    const adapters = vendors.flatMap(({ adapter, bridges = [] }) => [adapter, ...bridges]);
    it(`${file} has the core API and only ${adapters.join(', ')}`, async () => {
      const { api } = await loadTag(file, {});
      expect(api).to.deep.equal([...Object.keys(core), ...adapters, 'tokens', 'widget'].sort());
    });
  }

  it('the all-widgets file has no npm-only adapter (Stream, Knock, Twilio, Agora, LiveKit)', async () => {
    const { api } = await loadTag('widget-token.iife.js', {});
    for (const adapter of [
      'streamChat',
      'knock',
      'twilioConversations',
      'agora',
      'liveKitTokenSource',
    ]) {
      expect(api).to.not.include(adapter);
    }
    expect(api).to.include.members(TAG_VENDORS.map(({ adapter }) => adapter));
  });

  it('a file refuses a widget it does not contain, naming the one it has', async () => {
    const { started, errors } = await loadTag('widget-token.dg-chat.iife.js', {
      ...dgTag,
      'data-widget': 'iadvize',
      'data-sid': '1',
      'data-token-url': '/token',
    });
    expect(started).to.deep.equal({ tokens: false, widget: false });
    expect(errors).to.have.length(1);
    expect(errors[0]).to.contain('data-widget="iadvize"').and.contain('dg-chat');
  });

  it('an old or misspelled widget id is answered with the closest one', async () => {
    const { errors } = await loadTag('widget-token.iife.js', {
      ...dgTag,
      'data-widget': 'viasocket',
      'data-token-url': '/token',
    });
    expect(errors[0])
      .to.contain('data-widget="viasocket"')
      .and.contain('did you mean "via-socket"');
  });
});

// The frames are about:blank: their token URLs are absolute, and count as another origin.
const missingToken = {
  'data-token-url': new URL('/no-such-token-endpoint', location.href).href,
  'data-allow-cross-origin': '',
};

describe('data- attributes the tag does not know', () => {
  it('a misspelled optional attribute is a console warning naming the closest known one', async () => {
    const { warnings, started } = await loadTag('widget-token.dg-chat.iife.js', {
      ...dgTag,
      ...missingToken,
      'data-scripturl': `${STAND_INS}/dg-chat.js`,
      'data-tokn-method': 'POST',
    });
    expect(started.widget, 'the tag still starts').to.equal(true);
    expect(warnings).to.have.members([
      '[widget-token] data-scripturl: did you mean data-script-url?',
      '[widget-token] data-tokn-method: did you mean data-token-method?',
    ]);
  });

  it('a run-together attribute is matched; an unrelated one is listed with what the widget reads', async () => {
    const { warnings } = await loadTag('widget-token.iife.js', {
      ...dgTag,
      ...missingToken,
      'data-widgetid': 'w-1',
      'data-colour': 'red',
    });
    expect(warnings).to.have.length(2);
    expect(warnings[0]).to.equal('[widget-token] data-widgetid: did you mean data-widget-id?');
    expect(warnings[1])
      .to.contain('data-colour: unknown; data-widget="dg-chat" reads')
      .and.contain('data-widget-id, data-env');
  });

  it('a tag with only known attributes gives no warning', async () => {
    const { warnings } = await loadTag('widget-token.iife.js', {
      ...dgTag,
      ...missingToken,
    });
    expect(warnings).to.deep.equal([]);
  });
});

describe('one failure, one report', () => {
  it('a token URL that answers 404 gives one console error and one widget-token:error event', async () => {
    const { errors, consoleErrors } = await loadTag(
      'widget-token.dg-chat.iife.js',
      { ...dgTag, ...missingToken },
      { settle: true },
    );
    expect(errors, 'events').to.have.length(1);
    expect(consoleErrors, 'console errors').to.have.length(1);
    expect(consoleErrors[0]).to.equal(errors[0]);
    expect(errors[0]).to.contain('404');
  });
});

describe('data-allow-cross-origin', () => {
  const elsewhere = 'https://tokens.example.invalid/dg-token';

  it('without it, a token URL on another origin is refused with a message naming the attribute', async () => {
    const { started, errors } = await loadTag('widget-token.dg-chat.iife.js', {
      ...dgTag,
      'data-token-url': elsewhere,
    });
    expect(started.tokens).to.equal(false);
    expect(errors[0]).to.contain('data-allow-cross-origin');
  });

  it('with it (bare or "true"), the source is created for that URL; "false" refuses', async () => {
    for (const value of ['', 'true']) {
      const { started } = await loadTag('widget-token.iife.js', {
        ...dgTag,
        'data-token-url': elsewhere,
        'data-allow-cross-origin': value,
      });
      expect(started, `data-allow-cross-origin="${value}"`).to.deep.equal({
        tokens: true,
        widget: true,
      });
    }
    const refused = await loadTag('widget-token.iife.js', {
      ...dgTag,
      'data-token-url': elsewhere,
      'data-allow-cross-origin': 'false',
    });
    expect(refused.started.tokens).to.equal(false);
  });

  it('a value other than true or false is refused', async () => {
    const { started, errors } = await loadTag('widget-token.iife.js', {
      ...dgTag,
      'data-token-url': elsewhere,
      'data-allow-cross-origin': 'yes',
    });
    expect(started.tokens).to.equal(false);
    expect(errors[0]).to.contain('data-allow-cross-origin must be true or false');
  });
});
