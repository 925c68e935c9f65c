// The testkit's servers are the launcher's: its errors are the launcher's too.
export { LauncherError as TestkitError, type LauncherErrorCode as TestkitErrorCode } from '@liaison/launcher';
