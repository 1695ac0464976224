// Original file: proto/shoal/v1/control.proto


export interface EmptyInput {
}

export interface Empty {
}
