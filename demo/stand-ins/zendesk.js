// Stand-in for Zendesk's messaging snippet (https://static.zdassets.com/ekr/snippet.js?key=…),
// as window.zE. zE('messenger', 'loginUser', jwtCallback, loginCallback) asks the JWT callback and
// reports the login to loginCallback: null, or a LoginFailedError-like { type, reason, message }
// for a malformed JWT, one without the `kid` header, `external_id` or `scope: 'user'`, an expired
// one, or one for another user than the session's. Like Zendesk it pulls: it calls the JWT callback
// again only when it needs a fresh JWT, here a second before the one it holds expires, never
// earlier, and never again while a request goes unanswered.
// zE('messenger', 'logoutUser') ends the session; a logout without a login is refused.
// zE.__ask() makes it ask now, as the SDK may at any time (tests act as the SDK with it).
(function () {
  var recorder = window.__standInRecorder('zendesk');
  if (!document.getElementById('ze-snippet')) {
    recorder.call('refused', { command: 'load', reason: 'the snippet tag has no id="ze-snippet"' });
  }
  var session = {
    jwtCallback: undefined,
    loginCallback: undefined,
    jwt: undefined,
    user: undefined,
    timer: 0,
  };
  var launcher;
  function decode(part) {
    return JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/')));
  }
  function problem(jwt) {
    var parts = typeof jwt === 'string' ? jwt.split('.') : [];
    if (parts.length !== 3) return 'not a JWT';
    try {
      var header = decode(parts[0]);
      var payload = decode(parts[1]);
    } catch (error) {
      return 'not a JWT';
    }
    if (!header.kid) return 'no kid header';
    if (!payload.external_id) return 'no external_id';
    if (payload.scope !== 'user') return 'scope is not user';
    if (payload.exp && payload.exp * 1000 <= Date.now()) return 'expired';
    return undefined;
  }
  function expiry(jwt) {
    var exp = decode(jwt.split('.')[1]).exp;
    return exp ? exp * 1000 : Infinity;
  }
  function ask(how) {
    var callback = session.jwtCallback;
    if (!callback) return;
    callback(function (jwt) {
      if (session.jwtCallback !== callback) return refuse('jwtCallback', 'logged out');
      recorder.token(jwt, how);
      var reason = problem(jwt);
      var user = reason ? undefined : decode(jwt.split('.')[1]).external_id;
      if (!reason && session.user && user !== session.user) reason = 'another user';
      var report = session.loginCallback;
      session.loginCallback = undefined;
      if (reason) {
        refuse(how, reason);
        if (report) report({ type: 'LoginFailedError', reason: reason, message: 'Login failed' });
        return;
      }
      session.jwt = jwt;
      session.user = user;
      schedule();
      if (report) {
        recorder.call('loggedIn');
        if (!launcher) {
          launcher = document.createElement('iframe');
          launcher.title = 'Button to launch messaging window';
          document.body.append(launcher);
        }
        report(null);
      }
    });
  }
  function refuse(command, reason) {
    recorder.call('refused', { command: command, reason: reason });
  }
  // Zendesk keeps using the JWT it holds; it asks for a fresh one only when that one is expiring
  // (here a second before it expires; one timer per JWT, late after a sleep).
  function schedule() {
    clearTimeout(session.timer);
    var due = expiry(session.jwt) - 1000 - Date.now();
    if (due === Infinity) return;
    session.timer = setTimeout(
      function () {
        session.jwt = undefined;
        ask('callback');
      },
      Math.max(0, due),
    );
  }
  function zE(namespace, command, first, second) {
    if (namespace !== 'messenger') return recorder.call(namespace + ':' + command);
    if (command === 'loginUser') {
      recorder.call('loginUser');
      session.jwtCallback = first;
      session.loginCallback = second;
      clearTimeout(session.timer);
      return ask('loginUser');
    }
    if (command === 'logoutUser') {
      if (!session.jwtCallback) return refuse('logoutUser', 'not logged in');
      recorder.call('logoutUser');
      clearTimeout(session.timer);
      session.jwtCallback = session.loginCallback = session.jwt = session.user = undefined;
      return;
    }
    recorder.call(command);
  }
  zE.__ask = function () {
    ask('callback');
  };
  // Like Zendesk's messenger: the state of the session, for tests (never the JWT itself).
  zE.__session = function () {
    return { loggedIn: !!session.jwt, expiresAt: session.jwt ? expiry(session.jwt) : undefined };
  };
  window.zE = zE;
})();
