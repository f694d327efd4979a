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
