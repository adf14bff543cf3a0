// Start-up baseline: what Node + tsx cost before any engine code runs.
console.log('ready');
