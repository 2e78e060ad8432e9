export { startFakesnow, type Fakesnow, type StartFakesnowOptions } from './start-fakesnow';
