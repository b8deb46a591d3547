// Tasks: the kanban board. Cards move by drag and drop or, for keyboards and phones, by buttons.
import { allTasks, api } from "../api.js";
import { field, formAlert, h, onSubmit, tag } from "../dom.js";
import { longDate } from "../time.js";

const COLUMNS = [["todo", "To do"], ["doing", "Doing"], ["done", "Done"]];
const URGENCIES = ["critical", "high", "medium", "low"];
const PERSONAS = ["ceo", "cto", "cfo", "cmo", "accounting"];

const columnLabel = (key) => COLUMNS.find(([each]) => each === key)[1];

export async function boardView(context) {
  const board = {
    context,
    cards: await allTasks(),
    lists: Object.fromEntries(COLUMNS.map(([key]) => [key, h("ul", { class: "cards", role: "list" })])),
    counts: Object.fromEntries(COLUMNS.map(([key]) => [key, h("span", { class: "count" })])),
  };
  const columns = COLUMNS.map(([key, label]) => boardColumn(board, key, label));
  const form = cardForm(board);
  drawBoard(board);
  return h(
    "section",
    { "aria-labelledby": "tasks-title" },
    h("h2", { id: "tasks-title", tabindex: "-1" }, "Tasks"),
    h("p", { class: "muted" }, "Each time the CEO report is sent, the three shortfalls it ranks highest (most severe first, critical before high) and every critical finding of the live AWS audit become cards, once each; actions due soon stay in the report. Drag a card, or use its buttons."),
    form,
    h("div", { class: "board" }, columns),
  );
}

async function move(board, card, column) {
  if (card.column === column) return;
  try {
    const moved = await api("PATCH", `/api/tasks/${encodeURIComponent(card.id)}`, { column });
    board.cards = board.cards.map((each) => (each.id === moved.id ? moved : each));
    drawBoard(board);
    board.context.notice(`Moved “${moved.title}” to ${columnLabel(column)}.`, "good");
    document.getElementById(`card-${moved.id}`)?.querySelector("button")?.focus();
  } catch (error) {
    board.context.notice(`Could not move “${card.title}”: ${error.message}`, "bad");
  }
}

/** Admins take a card off the board; the server archives it (DELETE keeps the card). */
async function archive(board, card) {
  try {
    await api("DELETE", `/api/tasks/${encodeURIComponent(card.id)}`);
    board.cards = board.cards.filter((each) => each.id !== card.id);
    drawBoard(board);
    board.context.notice(`Archived “${card.title}”.`, "good");
  } catch (error) {
    board.context.notice(`Could not archive “${card.title}”: ${error.message}`, "bad");
  }
}

/** The buttons that move a card one column left or right. */
function moveButtons(board, card) {
  const at = COLUMNS.findIndex(([key]) => key === card.column);
  const button = ([key, label], words) =>
    h("button", { type: "button", class: "small secondary", "aria-label": `Move “${card.title}” to ${label}`, onclick: () => move(board, card, key) }, words);
  const buttons = [];
  if (at > 0) buttons.push(button(COLUMNS[at - 1], `← ${COLUMNS[at - 1][1]}`));
  if (at < COLUMNS.length - 1) buttons.push(button(COLUMNS[at + 1], `${COLUMNS[at + 1][1]} →`));
  return buttons;
}

function cardItem(board, card) {
  const item = h(
    "li",
    { class: `task urgency-${URGENCIES.includes(card.urgency) ? card.urgency : "medium"}`, id: `card-${card.id}`, draggable: "true", dataset: { task: card.id } },
    h("p", { class: "task-title" }, card.title),
    h("p", { class: "task-tags" }, tag(card.urgency), " ", h("span", { class: "tag tag-plain" }, String(card.persona).toUpperCase()),
      card.source ? h("span", { class: "source" }, ` from ${card.source}`) : null),
    cardFacts(card),
    h("div", { class: "task-moves" }, moveButtons(board, card),
      board.context.user && board.context.user.role === "admin"
        ? h("button", { type: "button", class: "small secondary", "aria-label": `Archive “${card.title}”`, onclick: () => archive(board, card) }, "Archive")
        : null),
  );
  item.addEventListener("dragstart", (dragged) => {
    dragged.dataTransfer.setData("text/plain", card.id);
    dragged.dataTransfer.effectAllowed = "move";
    item.classList.add("dragging");
  });
  item.addEventListener("dragend", () => item.classList.remove("dragging"));
  return item;
}

/** A card's due date, owner and a link to the report it came from, when it has them. */
function cardFacts(card) {
  const due = /^\d{4}-\d{2}-\d{2}$/.test(card.due || "") ? card.due : null;
  const report = /^[a-z0-9-]+$/.test(card.report || "") ? card.report : null;
  if (!due && !card.owner && !report) return null;
  return h("p", { class: "task-facts" },
    due ? h("span", { class: "due" }, `Due ${longDate(due)}`) : null,
    card.owner ? h("span", { class: "owner" }, `Owner ${card.owner}`) : null,
    report ? h("a", { href: `#/reports/${report}`, "aria-label": `Open the ${report.toUpperCase()} report “${card.title}” came from` }, `${report.toUpperCase()} report`) : null);
}

function drawBoard(board) {
  for (const [key] of COLUMNS) {
    const inColumn = board.cards.filter((card) => card.column === key);
    board.lists[key].replaceChildren(...inColumn.map((card) => cardItem(board, card)));
    if (!inColumn.length) board.lists[key].append(h("li", { class: "empty muted" }, "Nothing here."));
    board.counts[key].textContent = String(inColumn.length);
  }
}

/** A column of the board; a card dropped on it moves there. */
function boardColumn(board, key, label) {
  const column = h("section", { class: "column", "aria-labelledby": `column-${key}`, dataset: { column: key } },
    h("h3", { id: `column-${key}` }, label, " ", board.counts[key]), board.lists[key]);
  column.addEventListener("dragover", (over) => { over.preventDefault(); column.classList.add("drop"); });
  column.addEventListener("dragleave", () => column.classList.remove("drop"));
  column.addEventListener("drop", (dropped) => {
    dropped.preventDefault();
    column.classList.remove("drop");
    const card = board.cards.find((each) => each.id === dropped.dataTransfer.getData("text/plain"));
    if (card) move(board, card, key);
  });
  return column;
}

function cardForm(board) {
  const title = h("input", { name: "title", id: "task-title", maxlength: 200, required: true });
  const persona = h("select", { name: "persona", id: "task-persona" }, PERSONAS.map((p) => h("option", { value: p }, p.toUpperCase())));
  const urgency = h("select", { name: "urgency", id: "task-urgency" }, URGENCIES.map((u) => h("option", { value: u }, u)));
  urgency.value = "medium";
  const add = h("button", { type: "submit" }, "Add card");
  const form = h("form", { novalidate: true, class: "task-form" },
    field("New card", title), field("Persona", persona), field("Urgency", urgency), add, formAlert());
  onSubmit(form, add, () => addCard(board, { title, persona, urgency }));
  return form;
}

async function addCard(board, { title, persona, urgency }) {
  const card = await api("POST", "/api/tasks", { title: title.value, persona: persona.value, urgency: urgency.value });
  board.cards = [...board.cards, card];
  drawBoard(board);
  title.value = "";
  board.context.notice(`Added “${card.title}” to To do.`, "good");
}
