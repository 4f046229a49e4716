// The attendance grid and the printable sheets. Everything here also works without this
// script: "Alle mødte" then submits and the server marks the column, and a sheet is
// printed from the browser's own menu. A file, because the CSP allows no inline script.
'use strict';

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : null;
  const allPresent = target && target.closest('[data-all-present]');
  if (allPresent) {
    // Marks the column here, so other changes can be made before one "Gem" saves them all.
    event.preventDefault();
    const sessionId = allPresent.getAttribute('data-all-present');
    for (const select of document.querySelectorAll('select[data-session]')) {
      if (select.getAttribute('data-session') === sessionId && !select.disabled) {
        select.value = 'present';
      }
    }
    const status = document.getElementById('grid-status');
    if (status) {
      status.textContent =
        document.documentElement.lang === 'en'
          ? 'Everyone marked present. Remember to save.'
          : 'Alle er markeret som mødt. Husk at gemme.';
    }
    return;
  }
  const print = target && target.closest('[data-print]');
  if (print) {
    event.preventDefault();
    window.print();
  }
});

// The print button needs this script; without it the page shows none.
for (const button of document.querySelectorAll('[data-print]')) {
  button.hidden = false;
}
