export { REGENERATE_COMMAND, renderCreateTopicsScript, shellWord } from './create-topics-script';
export { DEPLOY_FILES, REPO_ROOT } from './repo';
