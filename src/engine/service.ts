/** The engine side of the src/shared contract (see service/index.ts). */
export { createEngineService, EngineService, saveUpload, type ServiceOptions } from './service/index';
