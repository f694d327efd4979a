// A large on-screen keypad for number and code fields at a kiosk (fields with data-keypad).
// The keypad types into the field and shows the grouping as typed; the device's own
// keyboard still works. Before the form is sent, the spaces the keypad added to
// identity and phone numbers are taken out again (codes keep their dashes, which every
// code check accepts). Loaded only at kiosks; without it the fields work as usual.

const script = document.querySelector("script[data-keypad-labels]");
const labels = script ? script.dataset : {};
const DIGITS = "123456789";

// How each kind groups what is typed, and which characters its keys type.
const KINDS = {
  id: { keys: "0123456789X", max: 18, groups: [4, 4, 4, 4, 2], joiner: " " },
  tel: { keys: "0123456789", max: 15, groups: null, joiner: " " },
  digits: { keys: "0123456789", max: 0, groups: null, joiner: "" },
  code: { keys: "", max: 0, groups: null, joiner: "-" },
  case: { keys: "0123456789", max: 0, groups: null, joiner: "" },
};

function spec(input) {
  const kind = KINDS[input.dataset.keypad] || KINDS.digits;
  if (input.dataset.keypad !== "code") return kind;
  const length = Number(input.dataset.keypadLength) || 0;
  return { ...kind, keys: input.dataset.keypadAlphabet || "", max: length };
}

// Mobile numbers read 3-4-4 (138 0013 8000); other numbers in fours.
function groupsFor(input, plain) {
  const kind = input.dataset.keypad;
  if (kind === "tel") return plain.startsWith("1") ? [3, 4, 4, 4] : [4, 4, 4, 4];
  if (kind === "code") return [4, 4, 4, 4, 4];
  return spec(input).groups;
}

function plainOf(value) {
  return value.replace(/[\s-]/g, "").toUpperCase();
}

function grouped(input, plain) {
  const groups = groupsFor(input, plain);
  if (!groups) return plain;
  const parts = [];
  let at = 0;
  for (const size of groups) {
    if (at >= plain.length) break;
    parts.push(plain.slice(at, at + size));
    at += size;
  }
  if (at < plain.length) parts.push(plain.slice(at));
  return parts.join(spec(input).joiner);
}

// The value as the keypad shows it; a value with other characters (a passport number
// typed on the device's keyboard, say) is left as it is.
function shown(input, value) {
  if (input.dataset.keypad === "case") return value;
  const plain = plainOf(value);
  const { keys } = spec(input);
  if ([...plain].some((ch) => !keys.includes(ch))) return value;
  return grouped(input, plain);
}

function setValue(input, value) {
  input.value = shown(input, value);
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

function type(input, ch) {
  const { max } = spec(input);
  const kind = input.dataset.keypad;
  if (kind !== "case" && max && plainOf(input.value).length >= max) return;
  setValue(input, input.value + ch);
}

function erase(input) {
  let value = input.value.replace(/[\s-]+$/, "");
  if (input.dataset.keypad === "case" && /〔\d{4}〕$/.test(value)) {
    value = value.replace(/〔\d{4}〕$/, "");  // a year goes as it came, in one tap
  } else {
    value = value.slice(0, -1);
  }
  setValue(input, value.replace(/[\s-]+$/, ""));
}

// Case numbers: a prefix starts the number afresh, a year replaces the bracket part.
function casePrefix(input, prefix) {
  setValue(input, prefix);
}

function caseYear(input, year) {
  const head = input.value.split(/[〔[【(（]/)[0];
  setValue(input, `${head}〔${year}〕`);
}

function caseEnd(input) {
  if (/\d$/.test(input.value)) setValue(input, `${input.value}号`);
}

function button(text, onPress, { name, wide, className } = {}) {
  const el = document.createElement("button");
  el.type = "button";
  el.className = `keypad-key${wide ? " keypad-key-wide" : ""}${className ? ` ${className}` : ""}`;
  el.textContent = text;
  if (name) el.setAttribute("aria-label", name);
  el.addEventListener("click", onPress);
  return el;
}

function row(className, buttons) {
  const div = document.createElement("div");
  div.className = className;
  div.append(...buttons);
  return div;
}

function keysFor(input) {
  const kind = input.dataset.keypad;
  const press = (ch) => () => type(input, ch);
  if (kind === "code") {
    const alphabet = spec(input).keys;
    const ordered = [...alphabet].sort((a, b) => {
      const digit = (ch) => (/\d/.test(ch) ? 0 : 1);
      return digit(a) - digit(b) || a.localeCompare(b);
    });
    return row("keypad-grid keypad-letters", ordered.map((ch) => button(ch, press(ch))));
  }
  const keys = [...DIGITS].map((ch) => button(ch, press(ch)));
  if (kind === "id") keys.push(button("X", press("X")));
  else if (kind === "case") keys.push(button("号", () => caseEnd(input)));
  else keys.push(document.createElement("span"));
  keys.push(button("0", press("0")));
  keys.push(button(labels.delete || "⌫", () => erase(input), { className: "keypad-action" }));
  return row("keypad-grid keypad-digits", keys);
}

function build(input, close) {
  const panel = document.createElement("div");
  panel.className = "keypad";
  panel.setAttribute("role", "group");
  // Named on its own (not after the field), so the field's label names only the field.
  panel.setAttribute("aria-label", labels.name || "Keypad");
  panel.hidden = true;
  if (input.dataset.keypad === "case") {
    const prefixes = (input.dataset.keypadPrefixes || "").split("|").filter(Boolean);
    panel.append(
      row("keypad-row keypad-prefixes", prefixes.map((p) => button(p, () => casePrefix(input, p)))),
    );
    const years = (input.dataset.keypadYears || "").split(" ").filter(Boolean);
    panel.append(
      row("keypad-row keypad-years", years.map((y) => button(`〔${y}〕`, () => caseYear(input, y)))),
    );
  }
  panel.append(keysFor(input));
  panel.append(
    row("keypad-row keypad-end", [
      button(labels.clear || "Clear", () => setValue(input, ""), { wide: true, className: "keypad-action" }),
      button(labels.done || "Done", close, { wide: true, className: "keypad-done" }),
    ]),
  );
  return panel;
}

function attach(input) {
  let quiet = false;
  const close = () => {
    panel.hidden = true;
    quiet = true;
    input.focus();
    quiet = false;
  };
  const panel = build(input, close);
  input.after(panel);
  const open = () => {
    if (quiet || !panel.hidden) return;
    for (const other of document.querySelectorAll(".keypad")) other.hidden = other !== panel;
    panel.hidden = false;
  };
  input.addEventListener("focus", open);
  input.addEventListener("click", open);
  if (input.value) input.value = shown(input, input.value);
}

// What the server gets: identity and phone numbers without the spaces shown for reading.
function unspace(event) {
  for (const input of event.target.querySelectorAll("input[data-keypad]")) {
    if (["id", "tel", "digits"].includes(input.dataset.keypad)) {
      input.value = input.value.replace(/\s+/g, "");
    }
  }
}

// Moving on to another field puts the keypad away.
function tidy(event) {
  const target = event.target;
  if (!target.matches || !target.matches("input, select, textarea")) return;
  for (const panel of document.querySelectorAll(".keypad")) {
    if (panel.previousElementSibling !== target) panel.hidden = true;
  }
}

const fields = document.querySelectorAll("input[data-keypad]");
for (const input of fields) attach(input);
if (fields.length) {
  document.addEventListener("submit", unspace, true);
  document.addEventListener("focusin", tidy);
}
