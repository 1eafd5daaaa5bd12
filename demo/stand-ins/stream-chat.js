// Stand-in for the stream-chat 9 client (npm), as window.__standInStreamChat: connectUser with a
// token provider, tokenManager.loadToken(), disconnectUser(). Like the real client it asks the
// provider again only when a request fails with error 40 (TOKEN_EXPIRED): queryChannels() plays
// such a request, refused while the token it holds has expired.
(function () {
  var recorder = window.__standInRecorder('stream-chat');
  function expiry(token) {
    try {
      var payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
      return payload.exp ? payload.exp * 1000 : Infinity;
    } catch (error) {
      return 0;
    }
  }
  function StreamChat(apiKey, options) {
    var client = this;
    client.key = apiKey;
    client.options = options || {};
    client.userID = undefined;
    client.tokenManager = {
      token: undefined,
      provider: undefined,
      loadToken: function () {
        return Promise.resolve(client.tokenManager.provider()).then(function (token) {
          client.tokenManager.token = token;
          recorder.token(token, 'provider');
          return token;
        });
      },
    };
  }
  StreamChat.prototype.connectUser = function (user, provider) {
    var client = this;
    if (client.userID) return Promise.reject(new Error('connectUser was called twice'));
    client.userID = user.id;
    client.tokenManager.provider = provider;
    recorder.call('connectUser', { id: user.id });
    return client.tokenManager.loadToken().then(function () {
      return { me: { id: user.id } };
    });
  };
  StreamChat.prototype.queryChannels = function () {
    var client = this;
    if (expiry(client.tokenManager.token) > Date.now()) return Promise.resolve([]);
    recorder.call('error', { code: 40, message: 'TOKEN_EXPIRED' });
    return client.tokenManager.loadToken().then(function () {
      return [];
    });
  };
  StreamChat.prototype.disconnectUser = function () {
    recorder.call('disconnectUser');
    this.userID = undefined;
    this.tokenManager.token = undefined;
    this.tokenManager.provider = undefined;
    return Promise.resolve();
  };
  window.__standInStreamChat = StreamChat;
})();
