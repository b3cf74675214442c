import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A label staff put on conversations (never shown to candidates). */
@Entity({ name: 'support_labels' })
@Index('uq_support_labels_name_key', ['nameKey'], { unique: true })
export class SupportLabelEntity {
  @PrimaryColumn({ type: String, length: 36 })
  id!: string;

  @Column({ name: 'name', type: String, length: 50 })
  name!: string;

  /** The name in lower case: unique. */
  @Column({ name: 'name_key', type: String, length: 50 })
  nameKey!: string;

  /** `#rrggbb`. */
  @Column({ name: 'color', type: String, length: 7 })
  color!: string;

  @Column({ name: 'position', type: 'int' })
  position!: number;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;
}
