// Original file: proto/shoal/v1/objects.proto


export interface AnnotationsInput {
  'name'?: (string);
  'labels'?: ({[key: string]: string});
}

export interface Annotations {
  'name': (string);
  'labels': ({[key: string]: string});
}
