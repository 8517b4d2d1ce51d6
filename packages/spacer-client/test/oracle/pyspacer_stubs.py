"""Stand-ins for pyspacer's heavy imports (torch, sklearn, boto3) so its message code runs with numpy + Pillow only."""
import importlib.abc, importlib.machinery, sys, types

HEAVY = ('torch', 'torchvision', 'sklearn', 'boto3', 'botocore', 'fire')

class _Stub(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        if name[0].islower():
            value = _Stub(f'{self.__name__}.{name}')
            value.__path__ = []
        else:
            value = type(name, (), {'__init__': lambda self, *a, **k: None, '__call__': lambda self, *a, **k: None})
        setattr(self, name, value)
        return value

class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path, target=None):
        if fullname.split('.')[0] in HEAVY:
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None
    def create_module(self, spec):
        module = _Stub(spec.name)
        module.__path__ = []
        return module
    def exec_module(self, module):
        pass

sys.meta_path.insert(0, _Finder())
