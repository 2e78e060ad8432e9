export { spawnService, type ServiceProcess } from './service-process';
