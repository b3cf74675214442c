import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule } from '@angular/material/dialog';

import { STAFF_SHORTCUTS } from './staff-shortcuts';

/** "Atajos de teclado": opened with "?" in the inbox or from the user menu. */
@Component({
  selector: 'app-keyboard-shortcuts-dialog',
  imports: [MatButtonModule, MatDialogModule],
  template: `
    <h2 mat-dialog-title>Atajos de teclado</h2>
    <mat-dialog-content>
      <table class="shortcuts" data-testid="shortcuts-table">
        <caption class="cdk-visually-hidden">
          Atajos de la bandeja de soporte
        </caption>
        <thead>
          <tr>
            <th scope="col">Teclas</th>
            <th scope="col">Acción</th>
          </tr>
        </thead>
        <tbody>
          @for (shortcut of shortcuts; track shortcut.action) {
            <tr>
              <td>
                @for (combo of shortcut.keys; track $index) {
                  @if (!$first) {
                    <span class="or"> o </span>
                  }
                  @for (key of combo; track $index) {
                    @if (!$first) {
                      +
                    }
                    <kbd>{{ key }}</kbd>
                  }
                }
              </td>
              <td>{{ shortcut.label }}</td>
            </tr>
          }
        </tbody>
      </table>
      <p class="note">Las teclas de una sola letra no actúan mientras escribes en un campo de texto.</p>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Cerrar</button>
    </mat-dialog-actions>
  `,
  styles: `
    .shortcuts {
      border-collapse: collapse;
      width: 100%;
    }
    th {
      text-align: left;
      font: var(--mat-sys-label-medium);
      color: var(--mat-sys-on-surface-variant);
      padding: 4px 16px 4px 0;
    }
    td {
      padding: 6px 16px 6px 0;
      border-top: 1px solid var(--mat-sys-outline-variant);
    }
    kbd {
      display: inline-block;
      min-width: 1.5em;
      padding: 1px 6px;
      border: 1px solid var(--mat-sys-outline);
      border-radius: 4px;
      background: var(--mat-sys-surface-container);
      font: var(--mat-sys-label-medium);
      text-align: center;
    }
    .or,
    .note {
      color: var(--mat-sys-on-surface-variant);
    }
    .note {
      font: var(--mat-sys-body-small);
      margin: 12px 0 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class KeyboardShortcutsDialogComponent {
  protected readonly shortcuts = STAFF_SHORTCUTS;
}
