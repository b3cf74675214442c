import { QueryRunner, Table } from 'typeorm';

import { getExistingTables } from '../schema/existing-tables';

/**
 * The tables of the original (Flask) support chat, which production databases already hold under the
 * names this module uses. Their shape: integer ids, no `seq`, no counters.
 */
export const LEGACY_CLASHING_TABLES = ['support_conversations', 'support_conversation_participants', 'support_messages'] as const;
/** Tables of the original module whose names do not clash: left where they are (ratings, templates). */
export const LEGACY_SIDE_TABLES = ['support_conversation_satisfaction', 'chat_message_templates'] as const;
/** Where adoption moves a clashing table: `support_messages` -> `legacy_support_messages`. */
export const legacyTableName = (table: string): string => `legacy_${table}`;

/** One row per finished adoption step; the last one (`verify`) means the adoption is complete. */
export const LEGACY_ADOPTION_STATE_TABLE = 'support_chat_legacy_adoption';
/** Legacy integer id -> the module's UUID, for conversations and messages (old links can be redirected). */
export const LEGACY_ID_MAP_TABLE = 'support_chat_legacy_ids';

/**
 * The original's ids are integers; this module's are 36-character strings in every version, so an
 * integer `id` marks the original shape. (A column the module has and the original lacks would not do:
 * older versions of the module lacked some of them too, and the start-up check adds those.)
 */
function hasIntegerId(table: Table): boolean {
  const id = table.findColumnByName('id');
  return id !== undefined && /int/i.test(id.type);
}

export interface LegacySchemaState {
  /** Clashing tables that still have the original shape under their original names. */
  originalTables: string[];
  /** The original module's other tables present (ratings, templates). */
  sideTables: string[];
  /** An adoption started (its state table exists) and has not verified its result yet. */
  adoptionUnfinished: boolean;
  adoptionComplete: boolean;
}

export async function inspectLegacySchema(queryRunner: QueryRunner): Promise<LegacySchemaState> {
  const clashing = await getExistingTables(queryRunner, LEGACY_CLASHING_TABLES);
  const originalTables: string[] = [];
  for (const name of LEGACY_CLASHING_TABLES) {
    const table = clashing.get(name);
    if (table && hasIntegerId(table)) originalTables.push(name);
  }
  const sideTables: string[] = [];
  for (const name of LEGACY_SIDE_TABLES) if (await queryRunner.hasTable(name)) sideTables.push(name);
  let adoptionUnfinished = false;
  let adoptionComplete = false;
  if (await queryRunner.hasTable(LEGACY_ADOPTION_STATE_TABLE)) {
    const done = await completedSteps(queryRunner);
    adoptionComplete = done.has('verify');
    adoptionUnfinished = !adoptionComplete;
  }
  return { originalTables, sideTables, adoptionUnfinished, adoptionComplete };
}

export async function completedSteps(queryRunner: QueryRunner): Promise<Set<string>> {
  const rows = (await queryRunner.query(`SELECT step FROM ${LEGACY_ADOPTION_STATE_TABLE}`)) as { step: string }[];
  return new Set(rows.map((row) => row.step));
}

export const stateTable = (): Table =>
  new Table({
    name: LEGACY_ADOPTION_STATE_TABLE,
    columns: [
      { name: 'step', type: 'varchar', length: '32', isPrimary: true, primaryKeyConstraintName: 'pk_support_chat_legacy_adoption' },
      { name: 'completed_at', type: 'varchar', length: '32' },
    ],
  });

export const idMapTable = (): Table =>
  new Table({
    name: LEGACY_ID_MAP_TABLE,
    columns: [
      { name: 'entity', type: 'varchar', length: '16', isPrimary: true },
      { name: 'legacy_id', type: 'bigint', isPrimary: true },
      { name: 'id', type: 'varchar', length: '36' },
    ],
    indices: [{ name: 'ix_support_chat_legacy_ids_id', columnNames: ['id'] }],
  });

/** Raised at start-up instead of touching a database that holds the original module's tables. */
export class LegacySupportChatSchemaError extends Error {
  constructor(readonly state: LegacySchemaState) {
    const named = [...state.originalTables, ...state.sideTables].join(', ');
    super(
      state.adoptionUnfinished && state.originalTables.length === 0
        ? 'Support chat: an adoption of the original support chat tables was started and has not finished ' +
            `(${LEGACY_ADOPTION_STATE_TABLE} has no "verify" step). Nothing was changed now. Run "npm run db:adopt-legacy" ` +
            '(hosts: adoptLegacySupportChat(dataSource) from @support-chat/chat-domain) again to finish it, then start again.'
        : `Support chat: this database holds the original (Flask) support chat's tables (${named}), which have another ` +
            'shape than this module\'s. They were left untouched. Adopt them once with "npm run db:adopt-legacy" ' +
            '(hosts: adoptLegacySupportChat(dataSource) from @support-chat/chat-domain), then start again.',
    );
    this.name = 'LegacySupportChatSchemaError';
  }
}

/** Throws `LegacySupportChatSchemaError` when the start-up check must not touch the database. */
export async function assertNoLegacySupportChat(queryRunner: QueryRunner): Promise<void> {
  const state = await inspectLegacySchema(queryRunner);
  if (state.originalTables.length > 0 || state.adoptionUnfinished) throw new LegacySupportChatSchemaError(state);
}
