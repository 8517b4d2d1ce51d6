/** A tree printed with box-drawing branches, for `nu tests describe` (the Python CLI prints a rich Tree). */
export interface TreeNode {
  label: string;
  children?: TreeNode[];
}

export function renderTree(root: TreeNode): string {
  const lines = [root.label];
  const walk = (nodes: readonly TreeNode[], prefix: string) => {
    nodes.forEach((node, i) => {
      const last = i === nodes.length - 1;
      lines.push(`${prefix}${last ? '└── ' : '├── '}${node.label}`);
      if (node.children?.length) walk(node.children, `${prefix}${last ? '    ' : '│   '}`);
    });
  };
  walk(root.children ?? [], '');
  return `${lines.join('\n')}\n`;
}
