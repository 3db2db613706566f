// Placeholder: wired to the real handler factory in a later commit.
export const handler = async (): Promise<unknown> => ({});
