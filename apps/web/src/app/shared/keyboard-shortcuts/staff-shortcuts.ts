/** What a staff keyboard shortcut does. */
export type StaffShortcutAction = 'next' | 'previous' | 'search' | 'composer' | 'quickReply' | 'labels' | 'note' | 'transfer' | 'help';

/** The shortcuts of the support inbox, as listed in the help dialog. */
export const STAFF_SHORTCUTS: readonly { readonly keys: readonly string[][]; readonly action: StaffShortcutAction; readonly label: string }[] = [
  { keys: [['Alt', '↓'], ['j']], action: 'next', label: 'Conversación siguiente' },
  { keys: [['Alt', '↑'], ['k']], action: 'previous', label: 'Conversación anterior' },
  { keys: [['s']], action: 'search', label: 'Buscar en la bandeja' },
  { keys: [['r']], action: 'composer', label: 'Escribir una respuesta' },
  { keys: [['/']], action: 'quickReply', label: 'Insertar una respuesta rápida (también escribiendo / en el mensaje)' },
  { keys: [['l']], action: 'labels', label: 'Etiquetar la conversación' },
  { keys: [['n']], action: 'note', label: 'Escribir una nota interna' },
  { keys: [['t']], action: 'transfer', label: 'Transferir la conversación' },
  { keys: [['?']], action: 'help', label: 'Mostrar estos atajos' },
];

/** True while the user types somewhere: single-letter shortcuts must not steal those keys. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(target.type);
}

/**
 * The action of a key press in the support inbox, or null. Alt+↓/↑ work everywhere (also in the
 * composer, to move on after replying); the single keys only while not typing, and never with
 * Ctrl/Cmd (browser shortcuts). "/" opens the composer's quick-reply picker (typed in the composer, it
 * is the picker's own key).
 */
export function staffShortcut(event: KeyboardEvent): StaffShortcutAction | null {
  if (event.defaultPrevented || event.isComposing || event.ctrlKey || event.metaKey) return null;
  // Menus, dialogs and autocomplete panels handle their own keys.
  if (event.target instanceof Element && event.target.closest('.cdk-overlay-container')) return null;
  if (event.altKey) {
    if (event.shiftKey) return null;
    if (event.key === 'ArrowDown') return 'next';
    if (event.key === 'ArrowUp') return 'previous';
    return null;
  }
  if (isTyping(event.target)) return null;
  switch (event.key) {
    case 'j':
      return 'next';
    case 'k':
      return 'previous';
    case 's':
      return 'search';
    case 'r':
      return 'composer';
    case '/':
      return 'quickReply';
    case 'l':
      return 'labels';
    case 'n':
      return 'note';
    case 't':
      return 'transfer';
    case '?':
      return 'help';
    default:
      return null;
  }
}
