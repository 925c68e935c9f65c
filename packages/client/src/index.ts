export { KeyStore } from './keystore.js';
