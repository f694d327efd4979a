// Check-in: scan a booking's QR code with the camera where the browser can
// (BarcodeDetector), fill in the code and submit. Without it, staff type the code.
const scanner = document.querySelector("[data-scanner]");
const form = document.querySelector("[data-check-in-form]");

async function scan() {
  const video = scanner.querySelector("[data-scan-video]");
  const status = scanner.querySelector("[data-scan-status]");
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
  } catch {
    status.textContent = scanner.dataset.msgNoCamera;
    return;
  }
  video.srcObject = stream;
  video.hidden = false;
  await video.play();
  status.textContent = scanner.dataset.msgLooking;
  const detector = new BarcodeDetector({ formats: ["qr_code"] });
  const stop = () => stream.getTracks().forEach((track) => track.stop());
  const tick = async () => {
    try {
      const codes = await detector.detect(video);
      if (codes.length) {
        stop();
        form.querySelector("input[name=code]").value = codes[0].rawValue;
        form.submit();
        return;
      }
    } catch {
      // A frame that cannot be read yet: try the next one.
    }
    requestAnimationFrame(tick);
  };
  tick();
}

if (scanner && form && "BarcodeDetector" in window && navigator.mediaDevices) {
  scanner.hidden = false;
  scanner.querySelector("[data-scan-start]").addEventListener("click", scan);
}

// Open day page: keep seats left and waiting-list length current while it is open.
const table = document.querySelector("[data-availability-url]");
const REFRESH_MS = 20000;

async function refreshAvailability() {
  try {
    const reply = await fetch(table.dataset.availabilityUrl, { headers: { Accept: "application/json" } });
    if (!reply.ok) return;
    const { sessions } = await reply.json();
    for (const cell of table.querySelectorAll("[data-availability]")) {
      const text = sessions[cell.dataset.availability];
      if (text && cell.textContent.trim() !== text) cell.textContent = text;
    }
  } catch {
    // Offline for a moment: the figures on the page stay as they were.
  }
}

if (table) {
  setInterval(() => {
    if (!document.hidden) refreshAvailability();
  }, REFRESH_MS);
}
