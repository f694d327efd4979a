// Kiosk mode: one visitor at a time. Loaded only on enrolled liaison-office screens.
//
// After a quiet spell a dialog counts down; Continue keeps the visit, End or zero ends it.
// Ending a visit (also with the header's End and a journey's Finish button) clears every
// field, tells the server to forget the visit, and replaces this page with the start
// screen. The start screen keeps Back on itself, so nothing of a visit comes back.

const body = document.body;
const startUrl = body.dataset.kioskStart;
const endUrl = body.dataset.kioskEnd;
const seconds = (value, fallback) => {
  const number = Number(value);
  return Number.isFinite(number) && number > 0 ? number : fallback;
};
const warningSeconds = seconds(body.dataset.kioskWarning, 20);
// A page showing personal data waits for the shorter of the two times.
const idleSeconds = Math.min(
  seconds(body.dataset.kioskIdle, 90),
  seconds(body.dataset.kioskPrivate, Infinity),
);
const onStartScreen = location.pathname === startUrl;

// --- leaving ---------------------------------------------------------------------------

function clearFields() {
  for (const field of document.querySelectorAll("input, textarea, select")) {
    if (field.type === "checkbox" || field.type === "radio") {
      field.checked = false;
    } else if (field.tagName === "SELECT") {
      field.selectedIndex = -1;
    } else if (!["hidden", "submit", "button", "reset", "image"].includes(field.type)) {
      field.value = "";
    }
  }
}

let leaving = false;

async function endVisit() {
  if (leaving) return;
  leaving = true;
  clearFields();
  document.querySelector("main")?.replaceChildren(); // nothing of the visit stays in view
  try {
    await fetch(endUrl, { method: "POST", credentials: "same-origin", redirect: "manual" });
  } catch {
    // The server did not answer: a plain form post ends the visit the slow way.
    const form = document.createElement("form");
    form.method = "post";
    form.action = endUrl;
    body.append(form);
    form.submit();
    return;
  }
  location.replace(startUrl);
}

// The header's End and every Finish button post to the end address: do it the same way.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.getAttribute("action") === endUrl) {
    event.preventDefault();
    endVisit();
  }
});

// --- the idle timer and its warning ----------------------------------------------------

const dialog = document.querySelector("[data-kiosk-idle-dialog]");
const countdown = dialog?.querySelector("[data-kiosk-countdown]");
let idleTimer;
let tick;

function closeWarning() {
  clearInterval(tick);
  if (dialog?.open) dialog.close();
  restartIdle();
}

function warn() {
  if (!dialog) {
    endVisit();
    return;
  }
  let left = warningSeconds;
  countdown.textContent = String(left);
  dialog.showModal();
  tick = setInterval(() => {
    left -= 1;
    countdown.textContent = String(Math.max(left, 0));
    if (left <= 0) {
      clearInterval(tick);
      endVisit();
    }
  }, 1000);
}

function restartIdle() {
  clearTimeout(idleTimer);
  if (leaving || dialog?.open) return; // while warning, only Continue keeps the visit
  idleTimer = setTimeout(warn, idleSeconds * 1000);
}

if (dialog) {
  dialog.querySelector("[data-kiosk-continue]").addEventListener("click", closeWarning);
  dialog.querySelector("[data-kiosk-end-now]").addEventListener("click", () => {
    clearInterval(tick);
    endVisit();
  });
  // Escape closes a modal dialog by itself: treat it as Continue.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    closeWarning();
  });
}

// A clean start screen has nothing to clear (a visit starts when a tile is touched); one
// reached in the middle of a visit, or after choosing a language, ends it when left alone.
if (!onStartScreen || document.querySelector("[data-kiosk-visit-open]")) {
  for (const type of ["pointerdown", "touchstart", "keydown", "input"]) {
    document.addEventListener(type, restartIdle, { passive: true, capture: true });
  }
  restartIdle();
}

// A page brought back from the browser's memory (Back) is not trusted: ask the server.
window.addEventListener("pageshow", (event) => {
  if (event.persisted) {
    clearFields();
    location.reload();
  }
});

// --- the start screen ------------------------------------------------------------------

if (onStartScreen) {
  // Back after a visit stays here: the start screen puts itself on top of the history
  // again whenever Back takes it away.
  history.pushState({ kioskStart: true }, "", location.href);
  window.addEventListener("popstate", () => {
    history.pushState({ kioskStart: true }, "", location.href);
  });

  const clock = document.querySelector("time[data-kiosk-clock]");
  if (clock) {
    const format = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      dateStyle: "full",
      timeStyle: "short",
      timeZone: clock.dataset.timezone || undefined,
    });
    const show = () => {
      const now = new Date();
      clock.dateTime = now.toISOString();
      clock.textContent = format.format(now);
      setTimeout(show, 60_000 - (now.getTime() % 60_000) + 50); // on each new minute
    };
    show();
  }
}
