// The signer's page: acts are signed with the signer's own EDS through NCALayer, the national signing
// application on the signer's machine, reached over its local WebSocket (wss://127.0.0.1:13579 in
// production; a stand-in in development and tests). The private key never reaches the server.
(function () {
  'use strict';
  const box = document.getElementById('ncalayer-signing');
  if (!box) { return; }
  const MODULE = 'kz.gov.pki.knca.commonUtils';
  const button = box.querySelector('[data-action="ncalayer-sign"]');
  const status = box.querySelector('[data-role="status"]');

  function say(text, isError) {
    status.textContent = text;
    status.className = isError ? 'error-text' : 'muted';
  }

  // one request at a time, answered in order, as NCALayer does
  function connect(url) {
    return new Promise(function (resolve, reject) {
      const socket = new WebSocket(url);
      const waiting = [];
      socket.onmessage = function (event) {
        const next = waiting.shift();
        if (next) { next(JSON.parse(event.data)); }
      };
      socket.onerror = function () { reject(new Error('NCALayer is not running (' + url + ')')); };
      socket.onopen = function () {
        resolve({
          call: function (method, args) {
            return new Promise(function (done, fail) {
              waiting.push(function (answer) {
                if (String(answer.code) === '200') { done(answer.responseObject); } else { fail(new Error(answer.message || 'NCALayer: ' + answer.code)); }
              });
              socket.send(JSON.stringify({ module: MODULE, method: method, args: args }));
            });
          },
          close: function () { socket.close(); }
        });
      };
    });
  }

  async function post(body) {
    const response = await fetch(box.dataset.endpoint, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRFToken': box.dataset.csrf },
      body: JSON.stringify(body)
    });
    const answer = await response.json();
    if (!response.ok) { throw new Error((answer.errors || [{ message: response.statusText }])[0].message); }
    return answer;
  }

  async function sign() {
    button.disabled = true;
    say(box.dataset.textConnecting, false);
    let layer = null;
    try {
      layer = await connect(box.dataset.ncalayer);
      const key = await layer.call('getKeyInfo', ['PKCS12']);
      const comment = document.querySelector('[name="comment"]');
      const state = { certificate: key.pem, signed_at: null, signed_xml: [], comment: comment ? comment.value : '' };
      say(box.dataset.textSigning, false);
      for (let round = 0; round < 8; round += 1) {
        const answer = await post(state);
        if (answer.done) { window.location.assign(answer.next); return; }
        state.signed_at = answer.signed_at;
        for (const act of answer.to_sign) {
          const signed = await layer.call('signXml', ['PKCS12', 'SIGNATURE', act.xml, '', '']);
          state.signed_xml = state.signed_xml.filter(function (s) { return !(s.template === act.template && s.lang === act.lang); });
          state.signed_xml.push({ template: act.template, lang: act.lang, xml: signed });
        }
      }
      throw new Error('the acts kept changing while being signed; try again');
    } catch (error) {
      say(box.dataset.textFailed + ': ' + error.message, true);
      button.disabled = false;
    } finally {
      if (layer) { layer.close(); }
    }
  }

  button.addEventListener('click', sign);
  button.disabled = false; // enabled only once it can sign: a click before this script ran would do nothing
})();
