export { spawnService, SERVICE_NAMES, type ServiceName, type ServiceProcess } from './service-process';
