// Runs before each web test file: a fixed time zone of the product's users, so date output is stable.
process.env['TZ'] = 'America/Mexico_City';
