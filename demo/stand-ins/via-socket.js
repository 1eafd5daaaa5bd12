// Stand-in for viaSocket's prod-embedcomponent.js. Its tag (#viasocket-embed-main-script) starts
// the embed by itself when it has any of embedToken, parentId, config; without them it only defines
// its globals. window.viaSocket.mount({ embedToken, parent, config }) takes an element or a selector
// (with ?runtime=0 there is no window.viaSocket, as in older builds). Like the vendor, the embed
// covers the viewport (a backdrop, a frame and an open button appended to <body>) unless config has
// type "all_space" and there is a parent; a mounted handle's destroy() removes its frame only.
(function () {
  var recorder = window.__standInRecorder('via-socket');
  var tag = document.getElementById('viasocket-embed-main-script');
  if (!tag) throw new Error('viaSocket stand-in: no #viasocket-embed-main-script tag');
  var runtime = !/[?&]runtime=0/.test(tag.src);
  function render(token, parent, config, how) {
    if (typeof config === 'string') config = JSON.parse(config);
    recorder.token(token, how);
    recorder.call('config', config || null);
    var frame = document.createElement('div');
    frame.id = 'iframe-viasocket-embed-parent-container';
    frame.className = 'viasocket-stand-in';
    if (parent && config && config.type === 'all_space') {
      recorder.call('layout', 'all_space');
      parent.appendChild(frame);
      return frame;
    }
    recorder.call('layout', 'viewport');
    var backdrop = document.createElement('div');
    backdrop.className = 'vs-embed__backdrop';
    frame.style.cssText = 'position:fixed;inset:0';
    var button = document.createElement('button');
    button.id = 'viasocket-embed-open-button';
    document.body.append(backdrop, frame, button);
    return frame;
  }
  var parentId = tag.getAttribute('parentId');
  var starts = ['embedToken', 'parentId', 'config'].some(function (name) {
    return tag.hasAttribute(name);
  });
  if (starts) {
    render(
      tag.getAttribute('embedToken'),
      parentId && document.getElementById(parentId),
      tag.getAttribute('config'),
      'tag',
    );
  }
  window.openViasocket = function (flowId) {
    recorder.call('open', flowId);
  };
  window.handleclose = function () {
    recorder.call('close');
  };
  if (runtime) {
    window.viaSocket = {
      mount: function (options) {
        var parent =
          typeof options.parent === 'string'
            ? document.querySelector(options.parent)
            : options.parent;
        var frame = render(options.embedToken, parent, options.config, 'mount');
        return {
          open: function (flowId) {
            recorder.call('open', flowId);
          },
          destroy: function () {
            recorder.call('destroy');
            frame.remove();
          },
        };
      },
    };
  }
})();
