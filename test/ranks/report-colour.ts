// Prints an object as a program would: under a terminal node colours it.
console.log({ answer: 42, name: 'x' });
