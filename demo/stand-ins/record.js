// Shared by the stand-in vendor scripts: where each records what it received, for tests to read,
// and hands it to the demo page's verifier when there is one.
// Loaded as a classic script before them; tokens are kept in the page only, like the real widgets.
window.__standIns = window.__standIns || {};
window.__standInRecorder = function (vendor) {
  var record = (window.__standIns[vendor] = window.__standIns[vendor] || { tokens: [], calls: [] });
  return {
    record: record,
    token: function (token, how) {
      record.tokens.push({ token: token, at: Date.now(), how: how });
      // The demo page checks each token against its backend's verify endpoint, as the vendor would.
      // Its answer is returned for stand-ins that cannot read the token themselves (opaque tokens).
      if (window.__standInVerify) return window.__standInVerify(vendor, token);
    },
    call: function (name, detail) {
      record.calls.push({ name: name, detail: detail });
    },
  };
};
