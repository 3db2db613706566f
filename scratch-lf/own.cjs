const pk = ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', '@aws-sdk/client-sns', '@aws-sdk/client-sesv2', '@aws-sdk/client-kms', '@aws-sdk/client-sfn'];
for (const p of pk) require(p);
const t = performance.now();
require(process.argv[2]);
console.log('own', (performance.now() - t).toFixed(1));
