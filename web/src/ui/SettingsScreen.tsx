// Settings: profile and goals, theme, tags, password, export, and deleting the account.
import type { User } from '../api/types.js';
import { useScreenHeading } from './hooks.js';
import { SettingsDelete } from './SettingsDelete.js';
import { SettingsExport } from './SettingsExport.js';
import { SettingsPassword } from './SettingsPassword.js';
import { SettingsProfile } from './SettingsProfile.js';
import { SettingsTheme } from './SettingsTheme.js';
import { TagManager } from './TagManager.js';
import './settings.css';

interface Props {
  user: User | null;
  onUser: (user: User) => void;
  onDeleted: () => void;
}

export function SettingsScreen({ user, onUser, onDeleted }: Props) {
  const heading = useScreenHeading('Settings');
  // Nothing below the heading until the user is here: sections arriving one by one would shift the page.
  if (!user) {
    return (
      <div class="settings">
        <h1 ref={heading} tabIndex={-1}>
          Settings
        </h1>
        <p class="panel muted" role="status">
          Loading your settings… (they need the network)
        </p>
      </div>
    );
  }
  return (
    <div class="settings">
      <h1 ref={heading} tabIndex={-1}>
        Settings
      </h1>
      <SettingsProfile key={user.id} user={user} onUser={onUser} />
      <SettingsTheme />
      <TagManager />
      <SettingsPassword />
      <SettingsExport />
      <SettingsDelete email={user.email} onDeleted={onDeleted} />
    </div>
  );
}
