// Tables as stacked cards on a phone: under 480 px (style.css, `table.cards`) each row is a card
// and each cell shows its column's heading before it, so no column hides behind a sideways
// scroll. The labels follow the rows as the page redraws them.

/** Mark `table` to stack as cards on a narrow screen, and keep its cells labelled; returns it. */
export function asCards(table) {
  table.classList.add("cards");
  const label = () => {
    const heads = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        [...row.cells].forEach((cell, index) => {
          const heading = heads[index] || "";
          if (heading && cell.dataset.label !== heading) cell.dataset.label = heading;
        });
      }
    }
  };
  label();
  new MutationObserver(label).observe(table, { childList: true, subtree: true });
  return table;
}
