// Stand-in for an agora-rtc-sdk-ng 4 client (npm), as window.__standInAgora.createClient(), like
// AgoraRTC.createClient(). client.join(appId, channel, token, uid), client.renewToken(token),
// client.leave(), client.on/off, and the events token-privilege-will-expire (30 s before the held
// token expires, and, as users of the SDK report, once only: never again for the tokens renewed
// after it) and token-privilege-did-expire (at expiry; the session drops and must be joined again).
// Like Agora it refuses a token that is not an AccessToken2 ("007" prefix) or has expired, joining
// while connecting or connected, and renewToken outside a session. It also refuses join and
// renewToken after leave(): Agora would let a client join again, but nothing may join after the
// adapter has left, so here that shows up as a refusal.
//
// An AccessToken2 is opaque to the browser; the stand-in learns its expiry as Agora's server would
// know it: a test token is "007" + base64 of JSON { exp } (epoch seconds); any other token is
// checked by the demo backend's verify endpoint (window.__standInVerify), which reads the real
// AccessToken2 layout. client.__request() plays media traffic: an error once the session dropped.
(function () {
  var recorder = window.__standInRecorder('agora');
  var nextUid = 1000;

  function refusal(code, message) {
    var error = new Error('AgoraRTCError ' + code + ': ' + message);
    error.name = 'AgoraRTCException';
    error.code = code;
    return error;
  }
  function testTokenExpiry(token) {
    try {
      var claims = JSON.parse(atob(token.slice(3)));
      return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
    } catch (error) {
      return undefined;
    }
  }
  /** Resolves { expiresAt } or { problem }; `verification` is the demo backend's answer, if any. */
  function read(token, verification) {
    if (typeof token !== 'string' || token.slice(0, 3) !== '007') {
      return Promise.resolve({ problem: 'not an AccessToken2 (no 007 prefix)' });
    }
    var expiresAt = testTokenExpiry(token);
    var checked =
      expiresAt !== undefined
        ? Promise.resolve({ valid: true, expiresAt: expiresAt })
        : Promise.resolve(verification).then(function (result) {
            return result || { valid: false, reason: 'cannot be checked here' };
          });
    return checked.then(function (result) {
      if (!result.valid) return { problem: 'invalid token: ' + result.reason };
      if (!result.expiresAt || result.expiresAt <= Date.now()) return { problem: 'expired' };
      return { expiresAt: result.expiresAt };
    });
  }

  function Client() {
    this.listeners = { 'token-privilege-will-expire': [], 'token-privilege-did-expire': [] };
    this.timers = [];
    this.connectionState = 'DISCONNECTED';
    this.left = false;
    this.warned = false;
  }
  Client.prototype.hold = function (token, expiresAt) {
    var client = this;
    client.token = token;
    client.expiresAt = expiresAt;
    client.timers.forEach(clearTimeout);
    var ttl = expiresAt - Date.now();
    client.timers = [
      setTimeout(function () {
        client.connectionState = 'DISCONNECTED';
        client.timers.forEach(clearTimeout);
        client.emit('token-privilege-did-expire');
      }, ttl),
    ];
    if (!client.warned) {
      client.timers.push(
        setTimeout(
          function () {
            client.warned = true;
            client.emit('token-privilege-will-expire');
          },
          Math.max(0, ttl - 30000),
        ),
      );
    }
  };
  Client.prototype.emit = function (event) {
    recorder.call(event);
    this.listeners[event].slice().forEach(function (listener) {
      listener();
    });
  };
  Client.prototype.on = function (event, listener) {
    if (this.listeners[event]) this.listeners[event].push(listener);
  };
  Client.prototype.off = function (event, listener) {
    var list = this.listeners[event] || [];
    if (list.indexOf(listener) >= 0) list.splice(list.indexOf(listener), 1);
  };
  Client.prototype.refuse = function (command, code, reason) {
    recorder.call('refused', { command: command, reason: reason });
    return Promise.reject(refusal(code, reason));
  };
  Client.prototype.join = function (appId, channel, token, uid) {
    var client = this;
    if (client.left) return client.refuse('join', 'INVALID_OPERATION', 'left');
    if (client.connectionState !== 'DISCONNECTED') {
      return client.refuse('join', 'INVALID_OPERATION', 'already in connecting/connected state');
    }
    if (!appId || !channel) return client.refuse('join', 'INVALID_PARAMS', 'appId and channel');
    client.connectionState = 'CONNECTING';
    var verification = recorder.token(token, 'join');
    return read(token, verification).then(function (result) {
      if (client.left) return client.refuse('join', 'OPERATION_ABORTED', 'left while joining');
      if (result.problem) {
        client.connectionState = 'DISCONNECTED';
        return client.refuse('join', 'CAN_NOT_GET_GATEWAY_SERVER', result.problem);
      }
      client.connectionState = 'CONNECTED';
      client.uid = uid === undefined || uid === null ? nextUid++ : uid;
      recorder.call('join', { appId: appId, channel: channel, uid: client.uid });
      client.hold(token, result.expiresAt);
      return client.uid;
    });
  };
  Client.prototype.renewToken = function (token) {
    var client = this;
    if (client.left) return client.refuse('renewToken', 'INVALID_OPERATION', 'left');
    if (client.connectionState !== 'CONNECTED') {
      return client.refuse('renewToken', 'INVALID_OPERATION', 'not in a channel');
    }
    var verification = recorder.token(token, 'renewToken');
    return read(token, verification).then(function (result) {
      if (result.problem) return client.refuse('renewToken', 'INVALID_PARAMS', result.problem);
      if (client.connectionState !== 'CONNECTED') {
        return client.refuse('renewToken', 'INVALID_OPERATION', 'not in a channel');
      }
      client.hold(token, result.expiresAt);
    });
  };
  Client.prototype.leave = function () {
    recorder.call('leave');
    this.left = true;
    this.connectionState = 'DISCONNECTED';
    this.timers.forEach(clearTimeout);
    return Promise.resolve();
  };
  Client.prototype.__listenerCount = function () {
    var listeners = this.listeners;
    return Object.keys(listeners).reduce(function (sum, event) {
      return sum + listeners[event].length;
    }, 0);
  };
  /** Plays Agora ending the session as at expiry, whatever the held token says. */
  Client.prototype.__drop = function () {
    this.connectionState = 'DISCONNECTED';
    this.timers.forEach(clearTimeout);
    this.emit('token-privilege-did-expire');
  };
  Client.prototype.__request = function () {
    if (this.connectionState !== 'CONNECTED') {
      recorder.call('error', { reason: 'not in a channel' });
    } else if (this.expiresAt <= Date.now()) {
      recorder.call('error', { reason: 'token expired' });
    }
  };
  window.__standInAgora = {
    createClient: function () {
      return new Client();
    },
  };
})();
