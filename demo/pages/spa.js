// The library used the way a single-page app imports it (typed ESM, tree-shaken by its bundler).
import { createTokenSource, isWidgetTokenError, videoSdk } from 'widget-token';

const log = (text) => {
  const item = document.createElement('li');
  item.textContent = `${new Date().toLocaleTimeString()}  ${text}`;
  document.getElementById('log').prepend(item);
};

const tokens = createTokenSource({ url: '/api/video-sdk/token' });
tokens.on('token', ({ expiresAt }) =>
  log(`new token, valid until ${new Date(expiresAt).toLocaleTimeString()}`),
);
tokens.on('error', ({ error }) =>
  log(isWidgetTokenError(error, 'unauthorized') ? 'please sign in' : error.message),
);

const video = videoSdk({ tokens, scriptUrl: '/stand-ins/video-sdk.js' });
video.on('delivered', () => log('VideoSDK configured with the new token'));
await video.ready;
log('VideoSDK ready');

const join = document.getElementById('join');
join.disabled = false;
join.onclick = async () => {
  await video.join({ meetingId: 'spa-room', name: 'SPA user' });
  log('joined the meeting');
};
