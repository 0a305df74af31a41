/** Type detection: ranks message types by how well they explain some bytes. */
export * from './detect-type';
