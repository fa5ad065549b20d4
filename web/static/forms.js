// Task forms built from the JSON Schema (web/ui/forms_render.py): fields the schema asks for only under
// a choice (if/then) are shown with that choice, and lists grow and shrink row by row.
(function () {
  for (const form of document.querySelectorAll('form[data-schema-form]')) {
    const conditional = form.querySelectorAll('[data-show-when]');

    function chosen(name, value) {
      return Array.from(form.querySelectorAll('input[name="' + name + '"]')).some(function (input) {
        return input.checked && input.value === value;
      });
    }

    function refresh() {
      for (const field of conditional) {
        const shown = field.dataset.showWhen.split(' ').some(function (pair) {
          const at = pair.indexOf('=');
          return chosen(pair.slice(0, at), pair.slice(at + 1));
        });
        field.hidden = !shown;
        for (const control of field.querySelectorAll('input, textarea, select')) { control.disabled = !shown; }
      }
    }

    function renumber(list) {
      // rows of objects post name-<row>-<column>: keep the numbers in the order shown
      list.querySelectorAll('[data-row]').forEach(function (row, i) {
        for (const control of row.querySelectorAll('[name]')) {
          control.name = control.name.replace(/-\d+-/, '-' + i + '-');
          if (control.id) { control.id = control.id.replace(/-\d+-/, '-' + i + '-'); }
        }
        for (const text of row.querySelectorAll('label[for]')) {
          text.htmlFor = text.htmlFor.replace(/-\d+-/, '-' + i + '-');
        }
      });
    }

    form.addEventListener('change', refresh);
    form.addEventListener('click', function (event) {
      const button = event.target.closest('[data-action]');
      if (!button) { return; }
      const list = button.closest('[data-list]');
      const rows = list.querySelector('.rows');
      if (button.dataset.action === 'add-row') {
        const copy = rows.querySelector('[data-row]').cloneNode(true);
        for (const control of copy.querySelectorAll('input, textarea, select')) { control.value = ''; }
        rows.appendChild(copy);
        renumber(list);
        copy.querySelector('input, textarea, select').focus();
      } else if (button.dataset.action === 'remove-row') {
        const row = button.closest('[data-row]');
        if (rows.querySelectorAll('[data-row]').length > 1) { row.remove(); } else {
          for (const control of row.querySelectorAll('input, textarea, select')) { control.value = ''; }
        }
        renumber(list);
      }
    });
    refresh();
    // the row buttons come disabled from the server: a click before this script ran would do nothing
    for (const button of form.querySelectorAll('button[data-action]')) { button.disabled = false; }
  }
})();
