// Stand-in for the @twilio/conversations 3 Client (npm), as window.__standInTwilioConversations.
// new Client(token), client.updateToken(token), client.shutdown(), and the events
// tokenAboutToExpire and tokenExpired. As with Twilio, tokenAboutToExpire is pushed by the server
// (a token_about_to_expire message; the SDK has no timer of its own) once per token, in its final
// three minutes (Twilio's Chat docs; no figure is published for Conversations): here 180 s before
// expiry, or at once, after a network round trip, for a token held with less left than that.
// tokenExpired comes at expiry (the server closes with 410 / error 20104). It refuses an Access Token that is malformed, lacks the
// header cty "twilio-fpa;v=1" or grants.identity, is expired or lives over 24 h, one for another
// identity, and any call after shutdown(). client.__request() plays a request to Twilio: refused
// (recorded as an error) once the token it holds has expired.
(function () {
  var recorder = window.__standInRecorder('twilio-conversations');
  var ABOUT_TO_EXPIRE_WINDOW = 180000;
  var ABOUT_TO_EXPIRE_ROUND_TRIP = 100;
  function decode(part) {
    return JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/')));
  }
  function read(token) {
    var parts = typeof token === 'string' ? token.split('.') : [];
    if (parts.length !== 3) return { problem: 'not a JWT' };
    try {
      var header = decode(parts[0]);
      var payload = decode(parts[1]);
    } catch (error) {
      return { problem: 'not a JWT' };
    }
    if (header.cty !== 'twilio-fpa;v=1') return { problem: 'not an Access Token (cty)' };
    if (!payload.grants || !payload.grants.identity) return { problem: 'no grants.identity' };
    if (!payload.exp || payload.exp * 1000 <= Date.now()) return { problem: 'expired' };
    if (payload.iat && payload.exp - payload.iat > 24 * 3600) return { problem: 'TTL over 24 h' };
    return { identity: payload.grants.identity, expiresAt: payload.exp * 1000 };
  }
  function Client(token) {
    var client = this;
    client.listeners = { tokenAboutToExpire: [], tokenExpired: [] };
    client.timers = [];
    client.down = false;
    recorder.token(token, 'constructor');
    var read0 = read(token);
    if (read0.problem) {
      recorder.call('refused', { command: 'constructor', reason: read0.problem });
      client.state = 'failed';
      return;
    }
    client.state = 'initialized';
    client.identity = read0.identity;
    recorder.call('constructor', { identity: read0.identity });
    client.hold(token, read0.expiresAt);
  }
  Client.prototype.hold = function (token, expiresAt) {
    var client = this;
    client.token = token;
    client.expiresAt = expiresAt;
    client.timers.forEach(clearTimeout);
    var ttl = expiresAt - Date.now();
    client.timers = [
      setTimeout(function () {
        client.emit('tokenExpired');
      }, ttl),
    ];
    client.timers.push(
      setTimeout(
        function () {
          client.emit('tokenAboutToExpire', Math.round((expiresAt - Date.now()) / 1000));
        },
        Math.max(ABOUT_TO_EXPIRE_ROUND_TRIP, ttl - ABOUT_TO_EXPIRE_WINDOW),
      ),
    );
  };
  Client.prototype.emit = function (event, argument) {
    recorder.call(event);
    this.listeners[event].slice().forEach(function (listener) {
      listener(argument);
    });
  };
  Client.prototype.on = function (event, listener) {
    if (this.listeners[event]) this.listeners[event].push(listener);
    return this;
  };
  Client.prototype.removeListener = function (event, listener) {
    var list = this.listeners[event] || [];
    if (list.indexOf(listener) >= 0) list.splice(list.indexOf(listener), 1);
    return this;
  };
  Client.prototype.updateToken = function (token) {
    var client = this;
    if (client.down) {
      recorder.call('refused', { command: 'updateToken', reason: 'shut down' });
      return Promise.reject(new Error('The client has been shut down'));
    }
    recorder.token(token, 'updateToken');
    var next = read(token);
    var problem = next.problem || (next.identity !== client.identity ? 'another identity' : '');
    if (problem) {
      recorder.call('refused', { command: 'updateToken', reason: problem });
      return Promise.reject(new Error('Token refused: ' + problem));
    }
    client.hold(token, next.expiresAt);
    return Promise.resolve(client);
  };
  Client.prototype.shutdown = function () {
    recorder.call('shutdown');
    this.down = true;
    this.timers.forEach(clearTimeout);
    this.listeners = { tokenAboutToExpire: [], tokenExpired: [] };
    return Promise.resolve();
  };
  Client.prototype.__request = function () {
    if (this.down) return recorder.call('refused', { command: 'request', reason: 'shut down' });
    if (this.expiresAt <= Date.now()) recorder.call('error', { code: 20104, message: 'expired' });
  };
  window.__standInTwilioConversations = { Client: Client };
})();
