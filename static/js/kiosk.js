// Kiosk mode: one visitor at a time. Loaded only on enrolled liaison-office screens.
