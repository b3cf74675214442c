import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The host's own users. The chat module never reads this table: it sees users only through
 * `UsersChatDirectory`. String columns carry no explicit `type` so that TypeORM maps them to NVARCHAR
 * on SQL Server and VARCHAR elsewhere.
 */
@Entity({ name: 'users' })
@Index('uq_users_username', ['username'], { unique: true })
@Index('ix_users_role', ['role'])
export class UserEntity {
  @PrimaryColumn({ length: 36, primaryKeyConstraintName: 'pk_users' })
  id!: string;

  @Column({ length: 150 })
  username!: string;

  @Column({ name: 'full_name', length: 255 })
  fullName!: string;

  @Column({ length: 255 })
  email!: string;

  @Column({ length: 32, nullable: true, type: String })
  phone!: string | null;

  @Column({ length: 18, nullable: true, type: String })
  curp!: string | null;

  @Column({ length: 32 })
  role!: string;

  @Column({ name: 'is_active', default: true })
  isActive!: boolean;

  /** `scrypt$N$r$p$salt$hash` (see `PasswordHasher`); never leaves the server. */
  @Column({ name: 'password_hash', length: 255 })
  passwordHash!: string;

  @Column({ name: 'created_at' })
  createdAt!: Date;
}
