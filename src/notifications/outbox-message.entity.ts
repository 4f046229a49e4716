import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const OUTBOX_STATUSES = ['pending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export interface OutboxAttachment {
  filename: string;
  contentType: string;
  content: string;
}

/** An email as it will be sent, rendered when the change that causes it commits. */
@Entity()
export class OutboxMessage {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** One reason, one message: the same event never queues a second mail. */
  @Column('text')
  dedupeKey: string;

  @Column('text')
  template: string;

  @Column('text')
  recipient: string;

  @Column('text')
  subject: string;

  @Column('text')
  textBody: string;

  @Column('text')
  htmlBody: string;

  @Column('jsonb')
  attachments: OutboxAttachment[];

  @Column('text')
  status: OutboxStatus;

  @Column('integer')
  attempts: number;

  @Column('timestamptz')
  nextAttemptAt: Date;

  @Column('text', { nullable: true })
  lastError: string | null;

  @Column('timestamptz', { nullable: true })
  sentAt: Date | null;

  /** When retention blanked the body of this sent message (MAIL_BODY_RETENTION_DAYS). */
  @Column('timestamptz', { nullable: true })
  bodyPurgedAt: Date | null;
  /** The farewell to an erased person: address and bodies are emptied once it is sent. */
  @Column('boolean', { default: false })
  eraseAfterSend: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
