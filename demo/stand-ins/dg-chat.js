// Stand-in for DigitalGenius's init.js: reads DG_CHAT_WIDGET_CONFIG when it runs, renders a
// launcher, exposes dgchat.methods, then calls onWidgetEmbedded.
(function () {
  var recorder = window.__standInRecorder('dg-chat');
  var config = window.DG_CHAT_WIDGET_CONFIG;
  if (!config || !config.widgetId || !config.env)
    throw new Error('DG stand-in: no DG_CHAT_WIDGET_CONFIG');
  recorder.token(config.metadata && config.metadata.auth_token, 'config');
  var embedded = false;
  var launcher = document.createElement('div');
  launcher.className = 'dg-stand-in';
  launcher.textContent = 'DG chat (stand-in)';
  document.body.appendChild(launcher);
  window.dgchat = {
    methods: {
      sendSystemMessage: function (message) {
        if (!embedded) throw new Error('DG stand-in: sendSystemMessage before onWidgetEmbedded');
        if (message.name === 'auth_token') recorder.token(message.payload, 'sendSystemMessage');
      },
      resetChat: function () {
        if (!embedded) throw new Error('DG stand-in: resetChat before onWidgetEmbedded');
        recorder.call('resetChat');
      },
      launchWidget: function () {
        recorder.call('launchWidget');
      },
    },
  };
  setTimeout(function () {
    embedded = true;
    if (config.callbacks && config.callbacks.onWidgetEmbedded) config.callbacks.onWidgetEmbedded();
  }, 10);
})();
