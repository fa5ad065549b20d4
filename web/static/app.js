// Behaviour shared by every workspace page (no inline script or event handler anywhere: see web/security.py).
(function () {
  // a <select data-autosubmit> sends its form as soon as the choice changes (the language switch)
  for (const select of document.querySelectorAll('select[data-autosubmit]')) {
    select.addEventListener('change', function () { select.form.submit(); });
  }
})();
