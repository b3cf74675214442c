import { DOCUMENT, inject, Injectable } from '@angular/core';

/**
 * A short two-note chime generated with the Web Audio API (no audio file to download). Browsers
 * only let a page make sound after the user interacted with it; until then `play()` is silent.
 */
@Injectable({ providedIn: 'root' })
export class NotificationSoundService {
  private readonly window = inject(DOCUMENT).defaultView;
  private context: AudioContext | null = null;

  play(): void {
    const context = this.audioContext();
    if (!context) return;
    if (context.state === 'suspended') void context.resume().catch(() => undefined);
    const start = context.currentTime + 0.01;
    for (const [offset, frequency] of [
      [0, 880],
      [0.12, 1320],
    ] as const) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = 'sine';
      oscillator.frequency.value = frequency;
      // A quick attack and decay: a soft "ding" rather than a click.
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.15, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.18);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(start + offset);
      oscillator.stop(start + offset + 0.2);
    }
  }

  private audioContext(): AudioContext | null {
    if (this.context) return this.context;
    const AudioContextClass = (this.window as (Window & { AudioContext?: typeof AudioContext }) | null)?.AudioContext;
    if (!AudioContextClass) return null;
    try {
      this.context = new AudioContextClass();
    } catch {
      this.context = null;
    }
    return this.context;
  }
}
