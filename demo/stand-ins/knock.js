// Stand-in for the @knocklabs/client 0.22 Knock class (npm), as window.__standInKnock:
// authenticate(user, token, { onUserTokenExpiring, timeBeforeExpirationInMs }) and logout(). Like
// the real client it runs one timer, timeBeforeExpirationInMs (30 s) before the token's exp, calls
// onUserTokenExpiring, and re-authenticates only with a token that expires later.
(function () {
  var recorder = window.__standInRecorder('knock');
  function expiry(token) {
    try {
      var payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
      return payload.exp ? payload.exp * 1000 : 0;
    } catch (error) {
      return 0;
    }
  }
  function Knock(apiKey, options) {
    if (String(apiKey).indexOf('sk_') === 0)
      throw new Error('[Knock] secret API key on the client');
    this.apiKey = apiKey;
    this.host = (options && options.host) || 'https://api.knock.app';
    this.timer = null;
  }
  Knock.prototype.authenticate = function (user, token, options) {
    var knock = this;
    var userId = typeof user === 'string' ? user : user.id;
    knock.userId = userId;
    knock.userToken = token;
    recorder.token(token, 'authenticate');
    recorder.call('authenticate', {
      userId: userId,
      identify: !(options && options.identificationStrategy === 'skip') && typeof user === 'object',
    });
    clearTimeout(knock.timer);
    knock.timer = null;
    var callback = options && options.onUserTokenExpiring;
    var expiresAt = expiry(token);
    if (!callback || !expiresAt || expiresAt <= Date.now()) return;
    var before = (options && options.timeBeforeExpirationInMs) || 30000;
    var timer = setTimeout(
      function () {
        recorder.call('onUserTokenExpiring');
        Promise.resolve(callback(token, {})).then(function (next) {
          if (knock.timer !== timer || typeof next !== 'string') return;
          if (expiry(next) <= expiresAt) return;
          knock.authenticate(userId, next, options);
        });
      },
      Math.max(expiresAt - before - Date.now(), 1000),
    );
    knock.timer = timer;
  };
  Knock.prototype.logout = function () {
    recorder.call('logout');
    clearTimeout(this.timer);
    this.timer = null;
    this.userId = undefined;
    this.userToken = undefined;
  };
  window.__standInKnock = Knock;
})();
