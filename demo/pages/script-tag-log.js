// The script-tag page's log: every request, token, delivery and error of the source and widget
// that the tag started, newest first. Raw tokens are never shown.
const log = document.getElementById('log');
const write = (text, kind = '') => {
  const item = document.createElement('li');
  item.className = kind;
  item.textContent = `${new Date().toLocaleTimeString()}  ${text}`;
  log.prepend(item);
};
const until = (ms) => (ms ? new Date(ms).toLocaleTimeString() : 'no expiry');
const { tokens, widget } = window.WidgetToken ?? {};

if (!tokens || !widget) {
  write('the tag started nothing: see the console', 'error');
} else {
  // The tag's first request began before this script ran.
  write(`token source ${tokens.phase} when this log started`);
  tokens.on('refreshing', ({ reason, attempt }) =>
    write(`requested (${reason}${attempt > 1 ? `, attempt ${attempt}` : ''})`),
  );
  tokens.on('token', ({ expiresAt }) =>
    write(`received a token, valid until ${until(expiresAt)}`, 'token'),
  );
  tokens.on('expired', () => write('token expired', 'error'));
  widget.on('delivered', ({ expiresAt }) =>
    write(`delivered to the widget (valid until ${until(expiresAt)})`, 'token'),
  );
  widget.ready.then(
    () => write('widget ready'),
    () => {},
  );
}
// Errors of the source and of the widget, as the tag reports them.
document.addEventListener('widget-token:error', (event) => {
  const { error } = event.detail;
  write(`error ${error.code ?? ''}: ${error.message.replace('[widget-token] ', '')}`, 'error');
});
