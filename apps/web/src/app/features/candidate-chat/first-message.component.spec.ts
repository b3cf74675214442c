import { subjectFromMessage } from './first-message.component';

describe('subjectFromMessage (the subject of a first message written without one)', () => {
  it('takes the first line, whitespace collapsed', () => {
    expect(subjectFromMessage('  No me llega   el correo\ncon la liga del examen')).toBe('No me llega el correo');
  });

  it('cuts a long line at a word, within 80 characters, and marks the cut', () => {
    const subject = subjectFromMessage(
      'Hola, intenté entrar tres veces al examen de certificación y siempre aparece un error de cámara que no me deja continuar',
    );
    expect(Array.from(subject).length).toBeLessThanOrEqual(80);
    expect(subject).toBe('Hola, intenté entrar tres veces al examen de certificación y siempre aparece…');
  });

  it('cuts an unbroken word where it must, counting emoji as one character', () => {
    const subject = subjectFromMessage('😟'.repeat(100));
    expect(Array.from(subject)).toHaveLength(80);
    expect(subject.endsWith('…')).toBe(true);
  });
});
