// The one list of vendors. Everything that names the widgets one by one is derived from it or
// checked against it (test/node/vendor-table.test.mjs): the script-tag files and their entries
// (rollup.config.mjs writes them, there are no entry files), the size rows and their limits
// (bench/size.mjs, package.json "sizeLimits"), the stand-in list (demo/stand-ins/), the demo's
// signers (demo/backend/vendors.mjs), the test lists and the README's widget table.
//
// Plain JavaScript with no imports so that rollup, node scripts and browser tests can all read it.
//
//   id       the vendor everywhere: src/widgets/<id>.ts, data-widget="<id>" and
//            dist/widget-token.<id>.iife.js (with a tag build), demo/stand-ins/<id>.js and the
//            demo backend's signer (with a demo), the size rows
//   adapter  the function src/index.ts exports (and a tag build exposes on window.WidgetToken)
//   name     what the vendor is called in prose
//   tag      has a script-tag build: src/script-tag/widgets/<id>.ts reads its data- attributes
//            (it exports `<adapter>Tag`); false for npm-only SDK adapters, whose SDK the host
//            bundles itself
//   demo     has a stand-in (demo/stand-ins/<id>.js), a signer (demo/backend/vendors.mjs) and a
//            panel on the demo page
//   bridges  other functions of the adapter's module that a tag build exposes with it
//   marker   a string only this adapter's code contains: the size check proves with it that an
//            app with one adapter holds none of the others

/** @type {readonly import('./vendors.d.mts').Vendor[]} */
export const VENDORS = [
  {
    id: 'via-socket',
    adapter: 'viaSocket',
    name: 'viaSocket Embed',
    tag: true,
    demo: true,
    marker: 'viasocket-embed-main-script',
  },
  {
    id: 'dg-chat',
    adapter: 'dgChat',
    name: 'DigitalGenius chat',
    tag: true,
    demo: true,
    marker: 'DG_CHAT_WIDGET_CONFIG',
  },
  {
    id: 'iadvize',
    adapter: 'iAdvize',
    name: 'iAdvize',
    tag: true,
    demo: true,
    marker: 'iAdvizeInterface',
  },
  {
    id: 'engagespot',
    adapter: 'engagespot',
    name: 'Engagespot',
    tag: true,
    demo: true,
    marker: 'userToken',
  },
  {
    id: 'video-sdk',
    adapter: 'videoSdk',
    name: 'VideoSDK',
    tag: true,
    demo: true,
    marker: 'initMeeting',
  },
  {
    id: 'intercom',
    adapter: 'intercom',
    name: 'Intercom',
    tag: true,
    demo: true,
    marker: 'intercom_user_jwt',
  },
  {
    id: 'zendesk',
    adapter: 'zendesk',
    name: 'Zendesk messaging',
    tag: true,
    bridges: ['zendeskJwtCallback'],
    demo: true,
    marker: 'ze-snippet',
  },
  {
    id: 'stream-chat',
    adapter: 'streamChat',
    name: 'Stream Chat',
    tag: false,
    demo: true,
    marker: 'connectUser',
  },
  {
    id: 'knock',
    adapter: 'knock',
    name: 'Knock',
    tag: false,
    demo: true,
    marker: 'identificationStrategy',
  },
  {
    id: 'twilio-conversations',
    adapter: 'twilioConversations',
    name: 'Twilio Conversations',
    tag: false,
    demo: true,
    marker: 'tokenAboutToExpire',
  },
  {
    id: 'agora',
    adapter: 'agora',
    name: 'Agora RTC',
    tag: false,
    demo: true,
    marker: 'token-privilege-did-expire',
  },
  {
    id: 'livekit',
    adapter: 'liveKitTokenSource',
    name: 'LiveKit',
    tag: false,
    demo: false,
    marker: 'participantToken',
  },
];

/** The vendors with a script-tag build, in the table's order. */
export const TAG_VENDORS = VENDORS.filter((vendor) => vendor.tag);

/** The script-tag files: the all-widgets one, then one per tag vendor. */
export const SCRIPT_TAG_FILES = [
  { name: 'all-widgets', file: 'widget-token.iife.js', vendors: TAG_VENDORS },
  ...TAG_VENDORS.map((vendor) => ({
    name: vendor.id,
    file: `widget-token.${vendor.id}.iife.js`,
    vendors: [vendor],
  })),
];
