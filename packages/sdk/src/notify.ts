/** What every stage needs to know about notification steps in the IR, whatever the channel. */
import type { Command } from './ir.js';

export type NotifyCommand = Extract<Command, { kind: 'notify-slack' | 'notify-teams' | 'notify-webhook' | 'notify-email' }>;

export function isNotifyCommand(command: Command): command is NotifyCommand {
  return command.kind === 'notify-slack' || command.kind === 'notify-teams' || command.kind === 'notify-webhook' || command.kind === 'notify-email';
}

/** The secrets a notification step reads (its URL, or the SMTP credentials). */
export function notifySecretNames(command: NotifyCommand): string[] {
  switch (command.kind) {
    case 'notify-slack':
    case 'notify-teams':
      return [command.webhookSecret];
    case 'notify-webhook':
      return [command.urlSecret];
    case 'notify-email':
      return [command.usernameSecret, command.passwordSecret].filter((name): name is string => name !== undefined);
  }
}
